//! Template filters: numbers and page numbers in the site's digits.

use crate::config::DigitStyle;
use crate::numfmt::{format_number, format_percent, format_size, localize_digits};
use std::collections::HashMap;
use tera::Value;

/// `{{ value | num(ty="percent") }}`: a number in the site's digits and separators.
pub struct NumberFilter {
    pub digits: DigitStyle,
}

impl tera::Filter for NumberFilter {
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(number) = value.as_f64() else {
            // text such as "-" or "حسب درخواست" in a numeric column is shown as printed
            return Ok(value.clone());
        };
        let ty = args.get("ty").and_then(Value::as_str).unwrap_or("integer");
        let text = match ty {
            "percent" => format_percent(number, self.digits),
            _ => format_number(number, None, self.digits),
        };
        Ok(Value::String(text))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// `{{ page | digits }}`: ASCII digits of a number or text in the site's digits.
pub struct DigitsFilter {
    pub digits: DigitStyle,
}

impl tera::Filter for DigitsFilter {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(tera::Error::msg(format!(
                    "`digits` expects a number or text, got {other}"
                )));
            }
        };
        Ok(Value::String(localize_digits(&text, self.digits)))
    }
}

/// `{{ text | css_string | safe }}`: a quoted CSS string (for `@page` margin boxes in a
/// `<style>`): quotes and backslashes escaped, and `<` too, so no text can close the element.
pub fn css_string(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let Some(text) = value.as_str() else {
        return Err(tera::Error::msg("`css_string` expects text"));
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '&' => out.push_str(&format!("\\{:x} ", c as u32)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(Value::String(out))
}

/// `{{ bytes | filesize }}`: a size in bytes as readers say it (`۲٫۱ کیلوبایت`).
pub struct SizeFilter {
    pub digits: DigitStyle,
}

impl tera::Filter for SizeFilter {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let bytes = value.as_u64().ok_or_else(|| {
            tera::Error::msg(format!("`filesize` expects a number of bytes, got {value}"))
        })?;
        Ok(Value::String(format_size(bytes, self.digits)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_close_their_style_element() {
        let v = css_string(&Value::from("گزارش \"۱۴۰۰\" </style>"), &HashMap::new()).unwrap();
        assert_eq!(
            v.as_str(),
            Some("\"گزارش \\22 ۱۴۰۰\\22  \\3c /style\\3e \"")
        );
    }
    use tera::Filter;

    #[test]
    fn number_filter_formats_percent_and_keeps_text() {
        let f = NumberFilter {
            digits: DigitStyle::Persian,
        };
        let mut args = HashMap::new();
        args.insert("ty".to_string(), Value::from("percent"));
        assert_eq!(
            f.filter(&Value::from(153), &args).unwrap(),
            Value::from("۱۵۳٪")
        );
        assert_eq!(
            f.filter(&Value::from("-"), &args).unwrap(),
            Value::from("-")
        );
        assert_eq!(
            f.filter(&Value::from(4245), &HashMap::new()).unwrap(),
            Value::from("۴٬۲۴۵")
        );
    }

    #[test]
    fn digits_filter_localizes_page_numbers() {
        let f = DigitsFilter {
            digits: DigitStyle::Persian,
        };
        assert_eq!(
            f.filter(&Value::from(25), &HashMap::new()).unwrap(),
            Value::from("۲۵")
        );
        assert_eq!(
            f.filter(&Value::from("2-1"), &HashMap::new()).unwrap(),
            Value::from("۲-۱")
        );
    }
}
