//! What `check` finds: a [`Finding`] names its rule, where it is (year, file, line, page,
//! table, cell) and what is wrong. Rules are one enum, shared with the discrepancies written in
//! the data, so a typo'd rule there is refused where it is written.

use crate::ids::{ColumnKey, ColumnRef, RowRef, TableId};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Progress: how much of a draft year is filled in; never fails `check`.
    Info,
    /// Lint and style: reported, never fails `check`.
    Warning,
    /// Arithmetic that does not hold: fails `check` unless acknowledged in the data.
    Error,
    /// Broken content: fails `check` and stops `build`.
    Structure,
}

macro_rules! rules {
    ($($(#[$doc:meta])* $rule:ident = $name:literal, $severity:ident, $persian:literal;)*) => {
        /// Every rule `check` applies, by the name findings and discrepancies use.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Rule {
            $($(#[$doc])* #[serde(rename = $name)] $rule,)*
        }

        impl Rule {
            pub const ALL: &[Rule] = &[$(Rule::$rule),*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Rule::$rule => $name,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Rule::$rule => Severity::$severity,)*
                }
            }

            /// What the rule checks, in Persian, for the reviewer view.
            pub fn persian_name(self) -> &'static str {
                match self {
                    $(Rule::$rule => $persian,)*
                }
            }
        }
    };
}

rules! {
    /// Two sections with one slug.
    DuplicateSlug = "duplicate-slug", Structure, "نامک تکراری";
    /// A section names a part that `year.toml` does not declare.
    UnknownPart = "unknown-part", Structure, "بخش ناشناخته";
    /// Sections whose printed pages go backwards.
    PageOrder = "page-order", Structure, "ترتیب صفحه‌ها";
    /// Two tables of one year with one id.
    DuplicateTable = "duplicate-table", Structure, "شناسهٔ جدول تکراری";
    /// Two columns of one table with one key.
    DuplicateColumn = "duplicate-column", Structure, "کلید ستون تکراری";
    /// A heading row with a label or values.
    HeadingRow = "heading-row", Structure, "ردیف عنوان";
    /// A row with more or fewer values than columns.
    RowWidth = "row-width", Structure, "شمار خانه‌های ردیف";
    /// A row with more or fewer labels than label headers.
    LabelDepth = "label-depth", Structure, "شمار برچسب‌های ردیف";
    /// A number written as text in a number column.
    NumberAsText = "number-as-text", Structure, "عدد نوشته‌شده به‌صورت متن";
    /// A cell whose kind the column does not hold.
    CellType = "cell-type", Structure, "نوع خانه";
    /// A footnote mark on a column that does not exist.
    UnknownMark = "unknown-mark", Structure, "نشانهٔ پانویس ناشناخته";
    /// A correction or discrepancy that names a row or column that does not exist.
    Reference = "reference", Structure, "ارجاع به ردیف یا ستون ناموجود";
    /// A frozen year's file edited, added or removed since it was archived, or its archive
    /// damaged.
    Frozen = "frozen", Structure, "تغییر در سال بایگانی‌شده";
    /// Two tables of one year in one series, or two rows of a series table with one key.
    Series = "series", Structure, "سری تکراری";
    /// How complete a table of a draft year is: filled cells of all cells.
    Completeness = "completeness", Info, "میزان تکمیل جدول";
    /// A link to a table, row or column that does not exist.
    LinkTarget = "link-target", Structure, "مقصد پیوند ناموجود";
    /// Raw HTML in Markdown.
    MarkdownHtml = "markdown-html", Structure, "HTML خام در متن";
    /// A Markdown link or image that may not be published.
    MarkdownLink = "markdown-link", Structure, "پیوند یا تصویر غیرمجاز";
    /// A control character in a text.
    ControlCharacter = "control-character", Structure, "نویسهٔ کنترلی";
    /// Achievement % against actual ÷ plan.
    Achievement = "achievement", Error, "درصد تحقق";
    /// The totals row against the sum of the rows.
    Total = "total", Error, "ردیف جمع";
    /// A subtotal row against the sum of its rows.
    Subtotal = "subtotal", Error, "جمع جزء";
    /// A crosstab row's total against the sum of its categories.
    RowTotal = "row-total", Error, "جمع ردیف";
    /// Compliant + non-compliant against the total.
    PassFail = "pass-fail", Error, "منطبق و نامنطبق";
    /// A share against value ÷ total, and shares summing to 100.
    Share = "share", Error, "سهم درصدی";
    /// A figure against the one of another table that it restates.
    Link = "link", Error, "هم‌خوانی با جدول دیگر";
    /// A stated achievement % whose plan or actual is empty (the implied figure is given).
    MissingValue = "missing-value", Error, "مقدار ناموجود";
    /// A row whose number cells are empty where the other rows of its table are filled.
    EmptyCells = "empty-cells", Error, "خانه‌های خالی";
    /// A unit or a row label in a number column: the row looks shifted.
    MisplacedText = "misplaced-text", Error, "متن در ستون عددی";
    /// A number in a text column.
    NumberInText = "number-in-text", Error, "عدد در ستون متنی";
    /// A year in a caption or header that is neither the report's year nor the one before.
    ForeignYear = "foreign-year", Error, "سال نامربوط";
    /// Two columns of one table with the same label and group.
    DuplicateHeader = "duplicate-header", Error, "سرستون تکراری";
    /// Two rows of one table with the same label path, not told apart by their numbers.
    DuplicateLabel = "duplicate-label", Error, "برچسب ردیف تکراری";
    /// A row without a label.
    MissingLabel = "missing-label", Error, "ردیف بی‌برچسب";
    /// Text that is not Unicode NFC.
    Nfc = "nfc", Warning, "یکسان‌سازی یونی‌کد";
    /// Arabic ي/ك instead of Persian ی/ک.
    ArabicLetters = "arabic-letters", Warning, "حروف عربی";
    /// Double spaces, or a space at an end.
    Spacing = "spacing", Warning, "فاصله‌گذاری";
    /// Latin or Cyrillic letters inside a Persian word.
    MixedScript = "mixed-script", Warning, "خط آمیخته";
    /// A lost zero-width non-joiner.
    Zwnj = "zwnj", Warning, "نیم‌فاصله";
    /// Latin digits inside Persian text.
    LatinDigits = "latin-digits", Warning, "رقم لاتین";
    /// A negative count, plan, actual or share.
    Negative = "negative", Warning, "عدد منفی";
    /// An acknowledged discrepancy that no finding matches any more.
    StaleAcknowledgement = "stale-acknowledgement", Warning, "ناسازگاری پذیرفته‌شدهٔ بی‌مورد";
}

impl Rule {
    /// Only the report's own figures and headers can be acknowledged as a discrepancy; lint
    /// and broken content are fixed instead.
    pub fn can_be_acknowledged(self) -> bool {
        self.severity() == Severity::Error
    }

    /// The rules of the report's arithmetic and links, which an explanation can be searched for.
    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            Rule::Achievement
                | Rule::Total
                | Rule::Subtotal
                | Rule::RowTotal
                | Rule::PassFail
                | Rule::Share
                | Rule::Link
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The cell a finding is about, the two figures it compares, and what probably went wrong.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellAt {
    pub row: Option<RowRef>,
    pub column: Option<ColumnRef>,
    pub expected: Option<String>,
    pub found: Option<String>,
    pub explanation: Option<Box<Explanation>>,
}

/// The likeliest fixes of an arithmetic or link finding, best first. A suggestion is never
/// applied: it is shown to the reviewer, who checks it against the printed report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub suggestions: Vec<Suggestion>,
}

/// One change of the figures (one cell, or two cells exchanged) after which every rule that
/// reads the changed cells agrees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// One cell, the two cells of an exchange, or every cell of rows rotated among them.
    pub changes: Vec<CellChange>,
    /// How the printed figure may have been misread, when it is a common misreading.
    pub misreading: Option<Misreading>,
    /// Every rule that reads a changed cell, all of which then agree.
    pub agrees: Vec<Agreement>,
    /// How many failing rules the change makes agree.
    pub resolves: usize,
    /// Other changes that would be just as good: the suggestion is a guess among them.
    pub ties: usize,
    /// The suggestion in one sentence.
    pub text: String,
}

/// A cell of the year and the figure it probably should hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellChange {
    pub table: TableId,
    pub page: u32,
    pub row: RowRef,
    pub column: ColumnKey,
    pub printed: f64,
    pub probably: f64,
    /// The column holds percentages.
    pub percent: bool,
}

/// A common way of misreading printed figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Misreading {
    /// One digit read as a look-alike: ۴/۶, ۲/۳, ۷/۸, ۰/۵ (the digits as ASCII).
    Digit { printed: char, meant: char },
    /// A digit lost.
    DroppedDigit,
    /// A digit written twice.
    DoubledDigit,
    /// Two neighbouring digits exchanged.
    SwappedDigits,
    /// The figures of two cells exchanged.
    SwappedCells,
    /// The figures of whole rows moved among them (their labels went to the wrong rows).
    RotatedRows,
}

/// A rule that agrees after the change, at the cell it is reported at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agreement {
    pub rule: Rule,
    pub table: TableId,
    pub page: u32,
    pub row: RowRef,
    pub column: ColumnKey,
    /// Whether the rule failed before the change.
    pub resolved: bool,
    /// What then holds, in words: `658 ÷ 430 = 153% as stated`.
    pub text: String,
}

/// One finding. Compact, because a big file can give a million of them: the cell details are
/// boxed, and the file name is shared by every finding of its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub severity: Severity,
    pub acknowledged: bool,
    pub year: u32,
    pub page: u32,
    pub line: usize,
    pub file: Arc<Path>,
    pub table: Option<TableId>,
    pub cell: Option<Box<CellAt>>,
    pub message: String,
}

/// Where findings are: the file and its year (every finding of a file shares this).
#[derive(Debug, Clone)]
pub struct Place {
    pub year: u32,
    pub file: Arc<Path>,
}

impl Finding {
    /// A finding of `rule` at `line` of the place's file, with the rule's severity.
    pub fn new(rule: Rule, place: &Place, line: usize, page: u32, message: String) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            acknowledged: false,
            year: place.year,
            page,
            line,
            file: place.file.clone(),
            table: None,
            cell: None,
            message,
        }
    }

    pub fn in_table(mut self, table: &TableId) -> Finding {
        self.table = Some(table.clone());
        self
    }

    pub fn at_row(mut self, row: RowRef) -> Finding {
        self.cell.get_or_insert_with(Default::default).row = Some(row);
        self
    }

    pub fn at_column(mut self, column: ColumnRef) -> Finding {
        self.cell.get_or_insert_with(Default::default).column = Some(column);
        self
    }

    /// The figure the rule expected and the one it found.
    pub fn comparing(mut self, expected: String, found: String) -> Finding {
        let cell = self.cell.get_or_insert_with(Default::default);
        cell.expected = Some(expected);
        cell.found = Some(found);
        self
    }

    pub fn row(&self) -> Option<&RowRef> {
        self.cell.as_ref().and_then(|c| c.row.as_ref())
    }

    pub fn column(&self) -> Option<&ColumnRef> {
        self.cell.as_ref().and_then(|c| c.column.as_ref())
    }

    pub fn expected(&self) -> Option<&str> {
        self.cell.as_ref().and_then(|c| c.expected.as_deref())
    }

    pub fn found(&self) -> Option<&str> {
        self.cell.as_ref().and_then(|c| c.found.as_deref())
    }

    pub fn explanation(&self) -> Option<&Explanation> {
        self.cell.as_ref().and_then(|c| c.explanation.as_deref())
    }

    /// Sets (or, with `None`, clears) the finding's explanation.
    pub fn explain(&mut self, explanation: Option<Explanation>) {
        if let Some(cell) = self.cell.as_mut() {
            cell.explanation = explanation.map(Box::new);
        }
    }

    pub fn fails_check(&self) -> bool {
        self.severity >= Severity::Error && !self.acknowledged
    }
}

/// The JSON of `karnameh check --format json`: every field, `null` where it does not apply.
impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Finding", 14)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("year", &self.year)?;
        s.serialize_field("file", &self.file)?;
        s.serialize_field("line", &self.line)?;
        s.serialize_field("page", &self.page)?;
        s.serialize_field("table", &self.table)?;
        s.serialize_field("row", &self.row().map(ToString::to_string))?;
        s.serialize_field("column", &self.column().map(ToString::to_string))?;
        s.serialize_field("rule", &self.rule)?;
        s.serialize_field("expected", &self.expected())?;
        s.serialize_field("found", &self.found())?;
        s.serialize_field("message", &self.message)?;
        s.serialize_field("acknowledged", &self.acknowledged)?;
        s.serialize_field("explanation", &self.explanation())?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_have_unique_names_that_read_back() {
        let mut names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Rule::ALL.len());
        for rule in Rule::ALL {
            let json = serde_json::to_string(rule).unwrap();
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), *rule);
        }
        assert!(serde_json::from_str::<Rule>("\"acheivement\"").is_err());
    }

    #[test]
    fn only_arithmetic_can_be_acknowledged() {
        assert!(Rule::Achievement.can_be_acknowledged() && Rule::Link.can_be_acknowledged());
        assert!(!Rule::Zwnj.can_be_acknowledged() && !Rule::RowWidth.can_be_acknowledged());
    }

    #[test]
    fn a_finding_serializes_every_field() {
        let place = Place {
            year: 1400,
            file: Arc::from(Path::new("a.toml")),
        };
        let finding = Finding::new(Rule::Total, &place, 3, 7, "m".into())
            .in_table(&TableId::try_from("T1".to_string()).unwrap())
            .at_row(RowRef::Total)
            .comparing("10".into(), "11".into());
        let json = serde_json::to_value(&finding).unwrap();
        assert_eq!(json["rule"], "total");
        assert_eq!(json["row"], "total");
        assert_eq!(json["column"], serde_json::Value::Null);
        assert_eq!(json["severity"], "error");
        assert_eq!(json["year"], 1400);
        assert!(
            std::mem::size_of::<Finding>() <= 96,
            "{}",
            std::mem::size_of::<Finding>()
        );
    }
}
