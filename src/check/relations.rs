//! The report's arithmetic as relations between cells. Every sum, percentage and restated
//! figure that `check` verifies is one [`Constraint`]: the checks report those that do not
//! hold, and the explanation search asks which single change would make them hold.

use crate::diagnostics::Rule;
use crate::numfmt::plain;

/// A cell of one year's tables: the table's position in the year (or in its section, for the
/// checks of one table), its row's position among `Table::rows_at` (totals row last), and its
/// column's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellId {
    pub table: u32,
    pub row: u32,
    pub column: u16,
}

impl CellId {
    pub fn new(table: u32, row: usize, column: usize) -> CellId {
        CellId {
            table,
            row: u32::try_from(row).unwrap_or(u32::MAX),
            column: u16::try_from(column).unwrap_or(u16::MAX),
        }
    }
}

/// What a percentage is taken of: a stated total, or the sum of the parts.
#[derive(Debug, Clone, PartialEq)]
pub enum Whole {
    Cell(CellId),
    Sum(Vec<CellId>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// `total` is the sum of `parts`.
    Sum { total: CellId, parts: Vec<CellId> },
    /// `pct` is `part` ÷ `whole` × 100, within `tolerance` (nothing to check when the whole is 0).
    Ratio {
        pct: CellId,
        part: CellId,
        whole: Whole,
        tolerance: f64,
    },
    /// The shares add up to 100, within `tolerance`.
    Hundred { shares: Vec<CellId>, tolerance: f64 },
    /// One figure printed in two tables.
    Equal { mine: CellId, theirs: CellId },
}

/// The part a cell plays in a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The stated figure: a total, a percentage, this table's side of a link.
    Stated,
    /// A part of a sum (a row of a total, a share of 100).
    Part,
    /// The numerator of a percentage.
    Numerator,
    /// The stated whole of a percentage.
    Denominator,
    /// A part of the summed whole of a percentage.
    WholePart,
    /// The other table's side of a link.
    Theirs,
}

/// One rule applied to cells, reported at the stated figure's cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub rule: Rule,
    pub relation: Relation,
}

/// The figures a relation compares.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    Sum { stated: f64, sum: f64 },
    Ratio { stated: f64, part: f64, whole: f64 },
    Hundred { sum: f64 },
    Equal { mine: f64, theirs: f64 },
}

impl Constraint {
    /// The cell a failure is reported at. A row past the table's last row is its totals
    /// line, for the sum of shares of a table that prints none.
    pub fn at(&self) -> CellId {
        match &self.relation {
            Relation::Sum { total, .. } => *total,
            Relation::Ratio { pct, .. } => *pct,
            Relation::Equal { mine, .. } => *mine,
            Relation::Hundred { shares, .. } => {
                shares.first().map_or(CellId::new(0, 0, 0), |first| CellId {
                    row: u32::MAX,
                    ..*first
                })
            }
        }
    }

    /// Every cell the relation reads, with the part it plays (a cell may play two).
    pub fn cells(&self) -> Vec<(CellId, Place)> {
        match &self.relation {
            Relation::Sum { total, parts } => std::iter::once((*total, Place::Stated))
                .chain(parts.iter().map(|p| (*p, Place::Part)))
                .collect(),
            Relation::Ratio {
                pct, part, whole, ..
            } => {
                let mut cells = vec![(*pct, Place::Stated), (*part, Place::Numerator)];
                match whole {
                    Whole::Cell(c) => cells.push((*c, Place::Denominator)),
                    Whole::Sum(parts) => cells.extend(parts.iter().map(|p| (*p, Place::WholePart))),
                }
                cells
            }
            Relation::Hundred { shares, .. } => shares.iter().map(|s| (*s, Place::Part)).collect(),
            Relation::Equal { mine, theirs } => {
                vec![(*mine, Place::Stated), (*theirs, Place::Theirs)]
            }
        }
    }

    /// The figures compared, read with `value` (every cell of a constraint holds a number).
    pub fn read(&self, value: &impl Fn(CellId) -> f64) -> Reading {
        let sum = |cells: &[CellId]| cells.iter().map(|c| value(*c)).sum::<f64>();
        match &self.relation {
            Relation::Sum { total, parts } => Reading::Sum {
                stated: value(*total),
                sum: sum(parts),
            },
            Relation::Ratio {
                pct, part, whole, ..
            } => Reading::Ratio {
                stated: value(*pct),
                part: value(*part),
                whole: match whole {
                    Whole::Cell(c) => value(*c),
                    Whole::Sum(parts) => sum(parts),
                },
            },
            Relation::Hundred { shares, .. } => Reading::Hundred { sum: sum(shares) },
            Relation::Equal { mine, theirs } => Reading::Equal {
                mine: value(*mine),
                theirs: value(*theirs),
            },
        }
    }

    pub fn holds(&self, reading: Reading) -> bool {
        match (reading, &self.relation) {
            (Reading::Sum { stated, sum }, _) => (sum - stated).abs() <= 1e-6,
            (
                Reading::Ratio {
                    stated,
                    part,
                    whole,
                },
                Relation::Ratio { tolerance, .. },
            ) => whole == 0.0 || (part / whole * 100.0 - stated).abs() < *tolerance,
            (Reading::Hundred { sum }, Relation::Hundred { tolerance, .. }) => {
                (sum - 100.0).abs() <= *tolerance
            }
            (Reading::Equal { mine, theirs }, _) => (mine - theirs).abs() <= 1e-6,
            _ => true,
        }
    }

    /// The figure `cell` (playing `place`) would need for the relation to hold, the others
    /// kept; `None` where no single figure does (a part of a summed whole).
    pub fn solve(&self, reading: Reading, place: Place, old: f64) -> Option<f64> {
        let value = match (reading, place) {
            (Reading::Sum { sum, .. }, Place::Stated) => sum,
            (Reading::Sum { stated, sum }, Place::Part) => stated - (sum - old),
            (Reading::Ratio { part, whole, .. }, Place::Stated) if whole != 0.0 => {
                part / whole * 100.0
            }
            (Reading::Ratio { stated, whole, .. }, Place::Numerator) => whole * stated / 100.0,
            (Reading::Ratio { stated, part, .. }, Place::Denominator) if stated != 0.0 => {
                part * 100.0 / stated
            }
            (Reading::Hundred { sum }, Place::Part) => 100.0 - (sum - old),
            (Reading::Equal { theirs, .. }, Place::Stated) => theirs,
            (Reading::Equal { mine, .. }, Place::Theirs) => mine,
            _ => return None,
        };
        value.is_finite().then_some(value)
    }
}

impl Reading {
    /// The reading after the cell playing `place` changes from `old` to `new`.
    pub fn with(self, place: Place, old: f64, new: f64) -> Reading {
        match (self, place) {
            (Reading::Sum { sum, .. }, Place::Stated) => Reading::Sum { stated: new, sum },
            (Reading::Sum { stated, sum }, Place::Part) => Reading::Sum {
                stated,
                sum: sum - old + new,
            },
            (Reading::Ratio { part, whole, .. }, Place::Stated) => Reading::Ratio {
                stated: new,
                part,
                whole,
            },
            (Reading::Ratio { stated, whole, .. }, Place::Numerator) => Reading::Ratio {
                stated,
                part: new,
                whole,
            },
            (Reading::Ratio { stated, part, .. }, Place::Denominator) => Reading::Ratio {
                stated,
                part,
                whole: new,
            },
            (
                Reading::Ratio {
                    stated,
                    part,
                    whole,
                },
                Place::WholePart,
            ) => Reading::Ratio {
                stated,
                part,
                whole: whole - old + new,
            },
            (Reading::Hundred { sum }, _) => Reading::Hundred {
                sum: sum - old + new,
            },
            (Reading::Equal { theirs, .. }, Place::Stated) => Reading::Equal { mine: new, theirs },
            (Reading::Equal { mine, .. }, Place::Theirs) => Reading::Equal { mine, theirs: new },
            (reading, _) => reading,
        }
    }

    /// The figure the rule expected at the reported cell and the one printed there, as
    /// findings show them.
    pub fn compared(self) -> (String, String) {
        match self {
            Reading::Sum { stated, sum } => (plain(sum), plain(stated)),
            Reading::Ratio {
                stated,
                part,
                whole,
            } => (one_decimal(part / whole * 100.0), plain(stated)),
            Reading::Hundred { sum } => ("100".into(), plain(sum)),
            Reading::Equal { mine, theirs } => (plain(theirs), plain(mine)),
        }
    }
}

/// `12.3`; never `-0.0`.
pub fn one_decimal(n: f64) -> String {
    let text = format!("{n:.1}");
    if text == "-0.0" { "0.0".into() } else { text }
}

/// What a failing constraint says, read with `value`: "total 10 but the rows sum to 11".
/// `other` names the other table's cells of a link ("T010 row total column plan").
pub fn message(constraint: &Constraint, value: &impl Fn(CellId) -> f64, other: &str) -> String {
    let reading = constraint.read(value);
    match (reading, &constraint.relation) {
        (Reading::Sum { stated, sum }, Relation::Sum { parts, .. })
            if constraint.rule == Rule::PassFail =>
        {
            let figures: Vec<String> = parts.iter().map(|p| plain(value(*p))).collect();
            format!(
                "total {} but compliant + non-compliant = {} = {}",
                plain(stated),
                figures.join(" + "),
                plain(sum)
            )
        }
        (Reading::Sum { stated, sum }, _) if constraint.rule == Rule::Link => {
            format!("{} but {other} sum to {}", plain(stated), plain(sum))
        }
        (Reading::Sum { stated, sum }, _) => {
            let (what, parts) = match constraint.rule {
                Rule::Subtotal => ("subtotal", "its rows"),
                Rule::RowTotal => ("row total", "its categories"),
                _ => ("total", "the rows"),
            };
            format!("{what} {} but {parts} sum to {}", plain(stated), plain(sum))
        }
        (
            Reading::Ratio {
                stated,
                part,
                whole,
            },
            Relation::Ratio { tolerance, .. },
        ) => {
            let exact = one_decimal(part / whole * 100.0);
            let (stated, part, whole) = (plain(stated), plain(part), plain(whole));
            if constraint.rule == Rule::Achievement {
                let tolerance = plain(*tolerance);
                format!(
                    "achievement {stated}% but actual ÷ plan = {part} ÷ {whole} = {exact}% (tolerance ±{tolerance})"
                )
            } else {
                format!("share {stated}% but {part} ÷ {whole} = {exact}%")
            }
        }
        (Reading::Hundred { sum }, Relation::Hundred { tolerance, .. }) => format!(
            "the shares sum to {}%, not 100% (tolerance ±{})",
            plain(sum),
            plain(*tolerance)
        ),
        (Reading::Equal { mine, theirs }, _) => {
            format!("{} but {other} is {}", plain(mine), plain(theirs))
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: usize, column: usize) -> CellId {
        CellId::new(0, row, column)
    }

    #[test]
    fn a_sum_holds_solves_and_reads_a_change() {
        let c = Constraint {
            rule: Rule::Total,
            relation: Relation::Sum {
                total: cell(2, 0),
                parts: vec![cell(0, 0), cell(1, 0)],
            },
        };
        let values = [10.0, 15.0, 26.0];
        let reading = c.read(&|id| values[id.row as usize]);
        assert_eq!(
            reading,
            Reading::Sum {
                stated: 26.0,
                sum: 25.0
            }
        );
        assert!(!c.holds(reading));
        assert_eq!(c.solve(reading, Place::Stated, 26.0), Some(25.0));
        assert_eq!(c.solve(reading, Place::Part, 15.0), Some(16.0));
        assert!(c.holds(reading.with(Place::Part, 15.0, 16.0)));
        assert_eq!(reading.compared(), ("25".into(), "26".into()));
        let value = |id: CellId| values[id.row as usize];
        assert_eq!(message(&c, &value, ""), "total 26 but the rows sum to 25");
    }

    #[test]
    fn a_ratio_is_within_its_tolerance_and_skips_a_zero_whole() {
        let c = Constraint {
            rule: Rule::Achievement,
            relation: Relation::Ratio {
                pct: cell(0, 2),
                part: cell(0, 1),
                whole: Whole::Cell(cell(0, 0)),
                tolerance: 1.0,
            },
        };
        let at = |plan, actual, pct| Reading::Ratio {
            stated: pct,
            part: actual,
            whole: plan,
        };
        assert!(c.holds(at(430.0, 658.0, 153.0)));
        assert!(!c.holds(at(630.0, 658.0, 153.0)));
        assert!(c.holds(at(0.0, 5.0, 70.0)));
        let solved = c.solve(at(630.0, 658.0, 153.0), Place::Denominator, 630.0);
        assert_eq!(solved.map(f64::round), Some(430.0));
        let values = [630.0, 658.0, 153.0];
        assert_eq!(
            message(&c, &|id| values[usize::from(id.column)], ""),
            "achievement 153% but actual ÷ plan = 658 ÷ 630 = 104.4% (tolerance ±1)"
        );
    }

    #[test]
    fn one_decimal_never_shows_minus_zero() {
        assert_eq!(one_decimal(-0.01), "0.0");
        assert_eq!(one_decimal(104.44), "104.4");
    }
}
