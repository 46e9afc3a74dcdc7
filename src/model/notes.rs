//! Corrections as the pages tell them: where they are in readers' words, what readers are
//! told of a misprint of the report, and the review page's list of every correction.

use super::{ReviewCorrection, SectionModel};
use crate::config::DigitStyle;
use crate::content::{ColumnRef, RowRef, SectionField, Table};
use crate::numfmt::localize_text;

/// A section's corrections, its own fields' first, then its tables' in order.
pub(super) fn review_corrections(s: &SectionModel) -> Vec<ReviewCorrection> {
    let own = s.corrections.iter().map(|c| ReviewCorrection {
        section: s.title.clone(),
        page: s.page,
        table: None,
        route: s.route.clone(),
        target: None,
        note: c.clone(),
    });
    let tables = s.tables.iter().flat_map(|t| {
        t.corrections.iter().map(|c| ReviewCorrection {
            section: s.title.clone(),
            page: t.page,
            table: Some(t.caption.clone()),
            route: s.route.clone(),
            target: Some(c.anchor.clone().unwrap_or_else(|| t.id.to_string())),
            note: c.clone(),
        })
    });
    own.chain(tables).collect()
}

/// What readers are told of a misprint of the report: what was printed, and the note.
pub(super) fn reader_note(
    misprint: bool,
    printed: &str,
    note: Option<&str>,
    digits: DigitStyle,
) -> Option<String> {
    if !misprint {
        return None;
    }
    let printed = if printed.trim().is_empty() {
        "در گزارش چاپ نشده است".to_string()
    } else {
        format!("چاپ‌شده «{}»", localize_text(printed, digits))
    };
    Some(match note {
        Some(note) => format!("{printed}؛ {}", localize_text(note, digits)),
        None => printed,
    })
}

/// How readers name a field of the page index.
pub(super) fn section_field_name(field: SectionField) -> &'static str {
    match field {
        SectionField::Title => "عنوان",
        SectionField::Page => "شماره صفحه",
        SectionField::Heading => "عنوان متن",
    }
}

/// Where a correction is, as readers say it: the row as printed (a position counts the rows
/// from the top), the column's header path.
pub(super) fn correction_place(
    table: &Table,
    row: Option<&RowRef>,
    column: Option<&ColumnRef>,
    digits: DigitStyle,
) -> String {
    let row_text = row.map(|r| match r {
        RowRef::Total => "ردیف جمع".to_string(),
        RowRef::Position(n) => localize_text(&format!("سطر {n} جدول"), digits),
        RowRef::No(no) => localize_text(&format!("ردیف {no}"), digits),
    });
    let column_text = column.map(|c| table.column_label(c, " / "));
    match (row_text, column_text) {
        (Some(r), Some(c)) => format!("{r}، {c}"),
        (Some(r), None) => r,
        (None, Some(c)) => format!("سرستون «{c}»"),
        (None, None) => "کل جدول".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_toml;
    use std::path::Path;

    fn table() -> Table {
        let text = "title = \"s\"\npage = 1\n[[tables]]\nid = \"T1\"\ncaption = \"c\"\nkind = \"crosstab\"\nlabel_headers = [\"استان\"]\ncolumns = [ { key = \"a\", label = \"صدور\", role = \"category\", group = [\"اجباری\"] } ]\nrows = [ { no = \"1\", label = [\"الف\"], values = [1] } ]\n";
        parse_toml::<crate::content::SectionFile>(Path::new("t.toml"), text)
            .unwrap()
            .tables
            .remove(0)
    }

    #[test]
    fn corrections_are_placed_in_readers_words() {
        let t = table();
        let row = RowRef::try_from("#2".to_string()).unwrap();
        let column = ColumnRef::try_from("a".to_string()).unwrap();
        assert_eq!(
            correction_place(&t, Some(&row), Some(&column), DigitStyle::Persian),
            "سطر ۲ جدول، اجباری / صدور"
        );
        let no = RowRef::try_from("23".to_string()).unwrap();
        assert_eq!(
            correction_place(&t, Some(&no), None, DigitStyle::Persian),
            "ردیف ۲۳"
        );
        assert_eq!(
            correction_place(&t, None, Some(&ColumnRef::Label), DigitStyle::Persian),
            "سرستون «استان»"
        );
        let place = |row| correction_place(&t, row, None, DigitStyle::Persian);
        assert_eq!(place(Some(&RowRef::Total)), "ردیف جمع");
        assert_eq!(place(None), "کل جدول");
        assert_eq!(
            reader_note(
                true,
                "اظهاری نامه",
                Some("درست آن «اظهارنامه» است"),
                DigitStyle::Persian
            )
            .as_deref(),
            Some("چاپ‌شده «اظهاری نامه»؛ درست آن «اظهارنامه» است")
        );
        assert_eq!(reader_note(false, "x", None, DigitStyle::Persian), None);
    }
}
