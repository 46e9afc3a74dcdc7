//! Text lint for Persian content: letters from other scripts, lost zero-width non-joiners,
//! spacing, digits. Findings are warnings: they never fail `check`.

use super::SectionAt;
use crate::content::{Cell, Table};
use crate::diagnostics::{Finding, Rule};
use std::ops::Range;
use unicode_normalization::{UnicodeNormalization, is_nfc};

const ZWNJ: char = '\u{200C}';

/// Verb stems that take the prefix می/نمی, written apart with a ZWNJ (می‌شود).
const VERB_STEMS: &[&str] = &[
    "شود",
    "شوند",
    "شده",
    "باشد",
    "باشند",
    "نماید",
    "نمایند",
    "نمود",
    "گردد",
    "گردند",
    "گردید",
    "کند",
    "کنند",
    "کرد",
    "کردند",
    "دهد",
    "دهند",
    "داد",
    "توان",
    "تواند",
    "رود",
    "آید",
    "گیرد",
    "گیرند",
    "یابد",
    "پردازد",
    "سازد",
];

/// Words that end in ها but are not a plural (تنها، بها …).
const NOT_PLURALS: &[&str] = &[
    "تنها",
    "تنهایی",
    "بها",
    "بهای",
    "گرانبها",
    "پربها",
    "کم‌بها",
    "رها",
    "انتها",
    "نها",
    "اینها",
    "آنها",
];

/// One lint hit: the rule and what to say.
#[derive(Debug, PartialEq)]
pub struct Hit {
    pub rule: Rule,
    pub message: String,
}

/// Checks one piece of Persian text.
pub fn lint_text(text: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    let mut hit = |rule, message: String| hits.push(Hit { rule, message });
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        hit(
            Rule::ControlCharacter,
            format!(
                "the control character U+{:04X} in `{}` cannot be published: remove it",
                u32::from(c),
                excerpt(text).escape_debug()
            ),
        );
    }
    if !is_nfc(text) {
        hit(
            Rule::Nfc,
            format!(
                "not Unicode NFC: write `{}`",
                text.nfc().collect::<String>()
            ),
        );
    }
    if text.contains(['\u{064A}', '\u{0643}']) {
        hit(
            Rule::ArabicLetters,
            format!("Arabic ي/ك instead of Persian ی/ک in `{}`", excerpt(text)),
        );
    }
    // a multi-line text (Markdown) may indent; a one-line text must not start or end with space
    if text.contains("  ") || (!text.contains('\n') && text != text.trim()) {
        hit(
            Rule::Spacing,
            format!(
                "more than one space, or space at an end, in `{}`",
                excerpt(text)
            ),
        );
    }
    for word in text.split(|c: char| c.is_whitespace() || "،؛:()«»[]/\"'.,-–".contains(c)) {
        lint_word(word, &mut hit);
    }
    lint_digits(text, &mut hit);
    hits
}

fn excerpt(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

fn is_persian_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c) || "پچژگکیۀ".contains(c)
}

/// Letters that join to the next letter: after them a suffix such as ها needs a ZWNJ.
fn joins_forward(c: char) -> bool {
    is_persian_letter(c) && !"اآأإدذرزژوؤة".contains(c)
}

fn lint_word(word: &str, hit: &mut impl FnMut(Rule, String)) {
    let persian = word.chars().any(is_persian_letter);
    let foreign = |c: char| c.is_ascii_alphabetic() || ('\u{0400}'..='\u{04FF}').contains(&c);
    // a Latin word may take a Persian suffix after a ZWNJ (APP‌های): only a mix within one part counts
    let mixed = word
        .split(ZWNJ)
        .any(|part| part.chars().any(is_persian_letter) && part.chars().any(foreign));
    if mixed {
        hit(
            Rule::MixedScript,
            format!("Latin or Cyrillic letters inside the Persian word `{word}`"),
        );
    }
    if !persian || word.contains(ZWNJ) {
        return;
    }
    for prefix in ["نمی", "می"] {
        if let Some(stem) = word.strip_prefix(prefix)
            && VERB_STEMS.contains(&stem)
        {
            hit(
                Rule::Zwnj,
                format!("`{word}` needs a zero-width non-joiner: `{prefix}{ZWNJ}{stem}`"),
            );
            return;
        }
    }
    for suffix in ["هایی", "های", "ها"] {
        if let Some(stem) = word.strip_suffix(suffix)
            && stem.chars().count() >= 2
            && !NOT_PLURALS.contains(&word)
            && stem.chars().last().is_some_and(joins_forward)
        {
            hit(
                Rule::Zwnj,
                format!("`{word}` needs a zero-width non-joiner: `{stem}{ZWNJ}{suffix}`"),
            );
            return;
        }
    }
}

/// Latin digits next to Persian words, outside Latin tokens such as `ISO/IEC 17025`.
fn lint_digits(text: &str, hit: &mut impl FnMut(Rule, String)) {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    for (i, token) in tokens.iter().enumerate() {
        if !token.chars().any(|c| c.is_ascii_digit())
            || token.chars().any(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let latin_near =
            |t: Option<&&str>| t.is_some_and(|t| t.chars().any(|c| c.is_ascii_alphabetic()));
        if latin_near(i.checked_sub(1).and_then(|p| tokens.get(p))) || latin_near(tokens.get(i + 1))
        {
            continue;
        }
        let persian_in_token = token.chars().any(is_persian_letter);
        let persian_near = |t: Option<&&str>| t.is_some_and(|t| t.chars().any(is_persian_letter));
        if persian_in_token
            || persian_near(i.checked_sub(1).and_then(|p| tokens.get(p)))
            || persian_near(tokens.get(i + 1))
        {
            hit(
                Rule::LatinDigits,
                format!("Latin digits `{token}` in Persian text: use Persian digits"),
            );
        }
    }
}

/// Lints the section's own texts (not the `printed` values of corrections, which keep the
/// extracted text on purpose). Each finding's line is searched for only in the part of the
/// file its text belongs to (its table, its row), so the cost stays linear in the file.
pub(crate) fn lint_section(at: &SectionAt, out: &mut Vec<Finding>) {
    let section = &at.section.data;
    let whole = 0..at.section.text.len();
    let mut push =
        |place: &str, text: &str, region: Range<usize>| report(at, None, place, text, region, out);
    push("title", &section.title, whole.clone());
    if let Some(heading) = &section.heading {
        push("heading", heading, whole.clone());
    }
    if let Some(body) = &section.body {
        push("body", body.get_ref(), body.span());
    }
    for note in section.corrections.iter().filter_map(|c| c.note.as_ref()) {
        push("correction note", note, whole.clone());
    }
}

/// Texts this thread found nothing in, up to [`CLEAN_TEXTS`] of them: row labels and column
/// headers repeat from table to table (the provinces, plan and actual), and linting each anew
/// was a sixth of checking a large site.
fn known_clean(text: &str) -> bool {
    CLEAN.with_borrow(|clean| clean.contains(text))
}

/// Remembers that `text` has nothing to find.
fn remember_clean(text: &str) {
    if text.len() > CLEAN_TEXT_BYTES {
        return;
    }
    CLEAN.with_borrow_mut(|clean| {
        if clean.len() >= CLEAN_TEXTS {
            clean.clear();
        }
        clean.insert(text.into());
    });
}

const CLEAN_TEXTS: usize = 4096;
const CLEAN_TEXT_BYTES: usize = 256;

thread_local! {
    static CLEAN: std::cell::RefCell<rustc_hash::FxHashSet<Box<str>>> = Default::default();
}

fn report(
    at: &SectionAt,
    table: Option<&Table>,
    place: &str,
    text: &str,
    region: Range<usize>,
    out: &mut Vec<Finding>,
) {
    if known_clean(text) {
        return;
    }
    let hits = lint_text(text);
    if hits.is_empty() {
        remember_clean(text);
    }
    for hit in hits {
        let line = at.section.line_of(text, region.clone());
        let message = format!("{place}: {}", hit.message);
        let finding = Finding::new(hit.rule, &at.place, line, at.page(table), message);
        out.push(match table {
            Some(t) => finding.in_table(&t.id),
            None => finding,
        });
    }
}

/// Lints every reader-facing text of table `index` of the section.
pub(crate) fn lint_table(at: &SectionAt, index: usize, table: &Table, out: &mut Vec<Finding>) {
    let region = at.section.table_region(index);
    let mut at_table =
        |place: &str, text: &str| report(at, Some(table), place, text, region.clone(), out);
    at_table("caption", &table.caption);
    for h in table.headings.iter().chain(&table.label_headers) {
        at_table("header", h);
    }
    if let Some(note) = &table.note {
        at_table("note", note);
    }
    for column in &table.columns {
        at_table(&format!("column `{}`", column.key), &column.label);
        for g in &column.group {
            at_table(&format!("column `{}` group", column.key), g);
        }
    }
    for f in &table.footnotes {
        at_table("footnote", &f.text);
    }
    for d in &table.discrepancies {
        at_table("discrepancy note", &d.note);
    }
    for note in table.corrections.iter().filter_map(|c| c.note.as_ref()) {
        at_table("correction note", note);
    }
    for spanned in table.rows.iter().chain(table.total.iter()) {
        let row = spanned.get_ref();
        let place = format!("row {}", row.no_text().unwrap_or("-"));
        let mut at_row = |text: &str| report(at, Some(table), &place, text, spanned.span(), out);
        for label in row.label.iter().map(String::as_str).chain(row.heading()) {
            at_row(label);
        }
        for cell in &row.values {
            match cell {
                Cell::Text(t) => at_row(t),
                Cell::List(items) => items.iter().for_each(|t| at_row(t)),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Vec<&'static str> {
        lint_text(text).into_iter().map(|h| h.rule.name()).collect()
    }

    #[test]
    fn only_short_clean_texts_are_remembered_and_never_too_many() {
        let long = "الف ".repeat(CLEAN_TEXT_BYTES);
        remember_clean(long.trim());
        assert!(!known_clean(long.trim()), "a long text is linted each time");
        remember_clean("تهران");
        assert!(known_clean("تهران") && !known_clean("قم"));
        for i in 0..CLEAN_TEXTS {
            remember_clean(&format!("متن {i}"));
        }
        assert!(CLEAN.with_borrow(|clean| clean.len()) <= CLEAN_TEXTS);
    }

    #[test]
    fn arabic_letters_are_found() {
        assert_eq!(rules("آزمون نمونه از مراکز توليدي"), ["arabic-letters"]);
        assert!(rules("آزمون نمونه از مراکز تولیدی").is_empty());
    }

    #[test]
    fn lost_zwnj_after_mi_and_before_ha() {
        assert_eq!(rules("انجام میشود"), ["zwnj"]);
        assert_eq!(rules("آموزش کارکنان استانها"), ["zwnj"]);
        assert!(rules("انجام می‌شود در استان‌ها").is_empty());
        // ا does not join forward: کالاها is written joined
        assert!(rules("کالاها و میزان و تنها").is_empty());
    }

    #[test]
    fn mixed_scripts_spacing_and_digits() {
        assert_eq!(rules("بیلборدهای شهری"), ["mixed-script"]);
        assert!(rules("توسعه APP\u{200C}های موبایل").is_empty());
        assert_eq!(rules("دو  فاصله"), ["spacing"]);
        assert_eq!(rules("برنامه سال 1400"), ["latin-digits"]);
        assert!(rules("بر اساس استاندارد ISO/IEC 17025").is_empty());
        assert!(rules("برنامه سال ۱۴۰۰").is_empty());
    }

    #[test]
    fn control_characters_are_found() {
        assert_eq!(rules("جدول\u{0}"), ["control-character"]);
        assert!(rules("سطر یک\nسطر دو\tستون").is_empty());
    }

    #[test]
    fn nfc_is_required() {
        // ی + hamza above (decomposed) instead of the composed ئ
        assert_eq!(rules("مسائل \u{064A}\u{0654}"), ["nfc", "arabic-letters"]);
    }
}
