//! The fonts compiled into karnameh: Vazirmatn (OFL, `assets/fonts/OFL.txt`), the face the
//! pages load as woff2. Charts measure their labels with the regular face; the PDF is set in
//! both faces and nothing else (no system font is ever looked up).

/// Vazirmatn Regular 33.003 (the npm package `vazirmatn` 33.0.3, `fonts/ttf/`).
pub static REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/Vazirmatn-Regular.ttf");
/// Vazirmatn Bold, of the same release.
pub static BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/Vazirmatn-Bold.ttf");
/// The family name both faces declare; the theme's `@font-face` and the charts' SVG use it.
pub const FAMILY: &str = "Vazirmatn";
