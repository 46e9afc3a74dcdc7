//! How printed figures are commonly misread: look-alike Persian digits (۴/۶, ۲/۳, ۷/۸, ۰/۵),
//! a dropped or doubled digit, two neighbouring digits exchanged. The explanation search tries
//! these readings of a printed figure, and prefers a fix that is one of them.

use crate::diagnostics::Misreading;
use crate::numfmt::plain;

/// Persian digits that look alike in print and in extracted text.
const LOOK_ALIKES: [(char, char); 4] = [('4', '6'), ('2', '3'), ('7', '8'), ('0', '5')];

/// Every figure that `printed` may have been misread from, with how.
pub fn readings(printed: f64) -> Vec<(f64, Misreading)> {
    let text = plain(printed);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let chars: Vec<char> = digits.chars().collect();
    let mut out = Vec::new();
    let mut push = |candidate: Vec<char>, how: Misreading| {
        if let Some(value) = parse(sign, &candidate)
            && value != printed
            && !out.iter().any(|(v, _)| *v == value)
        {
            out.push((value, how));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        for (a, b) in LOOK_ALIKES {
            let meant = if c == a {
                b
            } else if c == b {
                a
            } else {
                continue;
            };
            let mut candidate = chars.clone();
            candidate[i] = meant;
            push(candidate, Misreading::Digit { printed: c, meant });
        }
    }
    for i in 0..chars.len().saturating_sub(1) {
        let (a, b) = (chars[i], chars[i + 1]);
        if a.is_ascii_digit() && b.is_ascii_digit() {
            let mut candidate = chars.clone();
            if a == b {
                candidate.remove(i);
                push(candidate, Misreading::DoubledDigit);
            } else {
                candidate.swap(i, i + 1);
                push(candidate, Misreading::SwappedDigits);
            }
        }
    }
    for i in 0..=chars.len() {
        for d in '0'..='9' {
            let mut candidate = chars.clone();
            candidate.insert(i, d);
            push(candidate, Misreading::DroppedDigit);
        }
    }
    out
}

/// How `printed` may be a misreading of `meant`, if it is a common one: the two figures'
/// digits compared directly, without listing every reading.
pub fn classify(printed: f64, meant: f64) -> Option<Misreading> {
    let a = plain(printed);
    // `66.5` read from `66.0`: the meant figure with the printed one's decimals
    let decimals = a.split_once('.').map_or(0, |(_, d)| d.len());
    let padded = format!("{meant:.decimals$}");
    [plain(meant), padded]
        .iter()
        .find_map(|b| compare(a.as_bytes(), b.as_bytes()))
}

fn compare(a: &[u8], b: &[u8]) -> Option<Misreading> {
    let (a, b) = match (a.strip_prefix(b"-"), b.strip_prefix(b"-")) {
        (Some(a), Some(b)) => (a, b),
        (None, None) => (a, b),
        _ => return None,
    };
    if a == b {
        return None;
    }
    if a.len() == b.len() {
        let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return match differ[..] {
            [i] => look_alike(a[i], b[i]),
            [i, j]
                if j == i + 1
                    && a[i] == b[j]
                    && a[j] == b[i]
                    && a[i].is_ascii_digit()
                    && a[j].is_ascii_digit() =>
            {
                Some(Misreading::SwappedDigits)
            }
            _ => None,
        };
    }
    // a digit lost: `meant` without one of its digits is `printed`
    if b.len() == a.len() + 1 && without_one(b, a) {
        return Some(Misreading::DroppedDigit);
    }
    // a digit doubled: `printed` has two equal digits side by side where `meant` has one
    if a.len() == b.len() + 1
        && without_one(a, b)
        && (1..a.len()).any(|i| {
            a[i] == a[i - 1] && a[i].is_ascii_digit() && [&a[..i], &a[i + 1..]].concat() == b
        })
    {
        return Some(Misreading::DoubledDigit);
    }
    None
}

fn look_alike(printed: u8, meant: u8) -> Option<Misreading> {
    let (p, m) = (char::from(printed), char::from(meant));
    LOOK_ALIKES
        .iter()
        .any(|&(x, y)| (p, m) == (x, y) || (p, m) == (y, x))
        .then_some(Misreading::Digit {
            printed: p,
            meant: m,
        })
}

/// Whether `longer` with one digit removed is `shorter`.
fn without_one(longer: &[u8], shorter: &[u8]) -> bool {
    let first = longer
        .iter()
        .zip(shorter)
        .take_while(|(x, y)| x == y)
        .count();
    longer[first].is_ascii_digit() && longer[first + 1..] == shorter[first..]
}

/// The figure of `digits`, unless it has a leading zero no one prints (`05`).
fn parse(sign: &str, digits: &[char]) -> Option<f64> {
    let text: String = digits.iter().collect();
    let leading_zero = text.len() > 1 && text.starts_with('0') && !text.starts_with("0.");
    if leading_zero || text.starts_with('.') || text.ends_with('.') {
        return None;
    }
    format!("{sign}{text}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alike_digits_and_their_direction() {
        assert_eq!(
            classify(630.0, 430.0),
            Some(Misreading::Digit {
                printed: '6',
                meant: '4'
            })
        );
        assert_eq!(
            classify(827.0, 837.0),
            Some(Misreading::Digit {
                printed: '2',
                meant: '3'
            })
        );
        assert_eq!(classify(75.0, 70.0).map(|_| ()), Some(()));
        assert_eq!(classify(630.0, 530.0), None);
    }

    #[test]
    fn dropped_doubled_and_swapped_digits() {
        assert_eq!(classify(4531.0, 45331.0), Some(Misreading::DroppedDigit));
        assert_eq!(classify(4331.0, 431.0), Some(Misreading::DoubledDigit));
        assert_eq!(classify(1919.0, 1991.0), Some(Misreading::SwappedDigits));
        assert_eq!(classify(67.5, 76.5), Some(Misreading::SwappedDigits));
    }

    #[test]
    fn classifying_agrees_with_the_listed_readings() {
        for printed in [630.0, 4531.0, 1919.0, 50.0, 255200.0, 66.5, 7.0] {
            for (meant, how) in readings(printed) {
                assert_eq!(classify(printed, meant), Some(how), "{printed} → {meant}");
            }
        }
        assert_eq!(classify(630.0, 631.0), None);
        assert_eq!(classify(100.0, 1000.0), Some(Misreading::DroppedDigit));
    }

    #[test]
    fn no_reading_has_a_leading_zero_or_repeats_the_printed_figure() {
        let values: Vec<f64> = readings(50.0).into_iter().map(|(v, _)| v).collect();
        // ۰/۵ read both ways: 55, but not 00 or 05
        assert!(values.contains(&55.0) && values.contains(&500.0));
        assert!(!values.contains(&50.0) && !values.contains(&5.0) && !values.contains(&0.0));
        assert!(readings(-12.0).iter().all(|(v, _)| *v < 0.0));
    }
}
