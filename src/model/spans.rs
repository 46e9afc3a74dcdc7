//! Row spans of the row-number column and of each row-label level: equal consecutive labels
//! merge into one spanning cell, as the report prints them, and an empty deeper level widens
//! the level before it.

use crate::content::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// The cell starts here and spans this many rows.
    Start(usize),
    /// Covered from above by the cell that starts at this row index.
    Covered(usize),
    /// Covered from the side: an empty deeper label level, absorbed by the level before it.
    Widened,
}

/// The spans of a run of rows (a table's body, or its totals row).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LabelSpans {
    /// Per row: the row-number cell.
    pub number: Vec<Span>,
    /// Per row, per label level.
    pub labels: Vec<Vec<Span>>,
    /// Per row, per label level: how many levels the cell covers sideways.
    pub colspans: Vec<Vec<usize>>,
}

impl LabelSpans {
    pub fn compute(rows: &[&Row], depth: usize) -> LabelSpans {
        let n = rows.len();
        let is_data = |i: usize| rows[i].heading().is_none();
        let mut number = vec![Span::Start(1); n];
        let mut labels = vec![vec![Span::Start(1); depth]; n];
        let mut colspans = vec![vec![1; depth]; n];
        for (i, row) in rows.iter().enumerate() {
            let last = row.last_label_level();
            if depth > 0 && last + 1 < depth {
                colspans[i][last] = depth - last;
                labels[i][last + 1..].fill(Span::Widened);
            }
        }
        for i in 1..n {
            if !(is_data(i) && is_data(i - 1)) {
                continue;
            }
            if rows[i].no().is_none() {
                number[i] = Span::Covered(origin_of(number[i - 1], i - 1));
            }
            for level in 0..depth {
                let parent_merged = level == 0 || matches!(labels[i][level - 1], Span::Covered(_));
                let same = parent_merged
                    && labels[i][level] != Span::Widened
                    && colspans[i][level] == colspans[i - 1][level]
                    && !rows[i].label[level].is_empty()
                    && rows[i].label[..=level] == rows[i - 1].label[..=level];
                if same {
                    labels[i][level] = Span::Covered(origin_of(labels[i - 1][level], i - 1));
                }
            }
        }
        count_spans(&mut number);
        for level in 0..depth {
            let mut column: Vec<Span> = labels.iter().map(|l| l[level]).collect();
            count_spans(&mut column);
            for (row, span) in labels.iter_mut().zip(column) {
                row[level] = span;
            }
        }
        LabelSpans {
            number,
            labels,
            colspans,
        }
    }
}

/// The row a cell covered by `span` at row `i` belongs to.
fn origin_of(span: Span, i: usize) -> usize {
    match span {
        Span::Covered(o) => o,
        _ => i,
    }
}

/// Turns each `Start(1)` into `Start(rows it spans)`.
fn count_spans(spans: &mut [Span]) {
    for i in 0..spans.len() {
        if let Span::Start(_) = spans[i] {
            let covered = spans[i + 1..]
                .iter()
                .take_while(|s| matches!(s, Span::Covered(o) if *o == i))
                .count();
            spans[i] = Span::Start(covered + 1);
        }
    }
}

/// Adjacent runs of equal items: `(start index, length)`.
pub fn runs<T>(items: &[T], same: impl Fn(&T, &T) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=items.len() {
        if i == items.len() || !same(&items[start], &items[i]) {
            out.push((start, i - start));
            start = i;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{RowMore, RowNo};

    fn row(no: Option<&str>, label: &[&str]) -> Row {
        let label = label.iter().map(|l| l.to_string()).collect();
        Row::new(label, Vec::new()).with(RowMore {
            no: no.map(|n| RowNo::try_from(n.to_string()).unwrap()),
            ..RowMore::default()
        })
    }

    #[test]
    fn equal_labels_and_unnumbered_rows_merge_downwards() {
        let rows = [
            row(Some("1"), &["تدوین", "استان"]),
            row(None, &["تدوین", "ستاد"]),
            row(None, &["تدوین", "جمع"]),
            row(Some("2"), &["تجدید", "استان"]),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let spans = LabelSpans::compute(&refs, 2);
        assert_eq!(
            spans.number,
            [
                Span::Start(3),
                Span::Covered(0),
                Span::Covered(0),
                Span::Start(1)
            ]
        );
        let level0: Vec<Span> = spans.labels.iter().map(|l| l[0]).collect();
        assert_eq!(
            level0,
            [
                Span::Start(3),
                Span::Covered(0),
                Span::Covered(0),
                Span::Start(1)
            ]
        );
        let level1: Vec<Span> = spans.labels.iter().map(|l| l[1]).collect();
        assert!(level1.iter().all(|s| *s == Span::Start(1)));
    }

    #[test]
    fn an_empty_deeper_label_widens_its_parent() {
        let rows = [
            row(Some("1"), &["مشاوره", ""]),
            row(Some("2"), &["آموزش", "استان"]),
        ];
        let refs: Vec<&Row> = rows.iter().collect();
        let spans = LabelSpans::compute(&refs, 2);
        assert_eq!(spans.colspans[0], [2, 1]);
        assert_eq!(spans.labels[0], [Span::Start(1), Span::Widened]);
        assert_eq!(spans.colspans[1], [1, 1]);
    }

    #[test]
    fn a_heading_row_breaks_a_merge() {
        let heading = Row::default().with(RowMore {
            heading: Some("سطح ملی".into()),
            ..RowMore::default()
        });
        let rows = [row(Some("1"), &["الف"]), heading, row(None, &["الف"])];
        let refs: Vec<&Row> = rows.iter().collect();
        let spans = LabelSpans::compute(&refs, 1);
        assert_eq!(spans.labels[2], [Span::Start(1)]);
        assert_eq!(spans.number[2], Span::Start(1));
    }

    #[test]
    fn runs_of_equal_items() {
        assert_eq!(runs(&["a", "a", "b"], |x, y| x == y), [(0, 2), (2, 1)]);
        assert!(runs::<u8>(&[], |x, y| x == y).is_empty());
    }
}
