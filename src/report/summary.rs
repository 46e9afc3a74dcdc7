//! `karnameh check --summary`: one line per rule that found something.

use crate::diagnostics::{Finding, Rule, Severity};
use serde::Serialize;
use std::io;

/// How many findings one rule gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: Rule,
    pub severity: Severity,
    pub findings: usize,
    /// Errors not acknowledged: what fails `check`.
    pub failing: usize,
    pub acknowledged: usize,
}

/// The count of every rule with findings, in the order of [`Rule::ALL`].
pub fn rule_counts(findings: &[Finding]) -> Vec<RuleCount> {
    Rule::ALL
        .iter()
        .map(|&rule| {
            let of_rule = || findings.iter().filter(move |f| f.rule == rule);
            RuleCount {
                rule,
                severity: rule.severity(),
                findings: of_rule().count(),
                failing: of_rule().filter(|f| f.fails_check()).count(),
                acknowledged: of_rule().filter(|f| f.acknowledged).count(),
            }
        })
        .filter(|c| c.findings > 0)
        .collect()
}

/// `achievement  error  3 finding(s): 1 failing, 2 acknowledged`, then the tally.
pub fn write_summary(findings: &[Finding], out: &mut dyn io::Write) -> io::Result<()> {
    for c in rule_counts(findings) {
        let severity = match c.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
            Severity::Structure => "structure",
        };
        write!(
            out,
            "{:<22} {severity:<9} {:>6} finding(s)",
            c.rule.name(),
            c.findings
        )?;
        if c.severity >= Severity::Error {
            write!(
                out,
                ": {} failing, {} acknowledged",
                c.failing, c.acknowledged
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "{}", super::tally(findings))
}
