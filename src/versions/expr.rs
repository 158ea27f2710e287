//! The `ifversion` expression language, with the reference engine's results.
//!
//! The reference rewrites the condition text (`not X` → bool, `plan op release` →
//! bool) and hands the rest to liquidjs, whose `and`/`or` have equal precedence and
//! associate right to left. This module parses the same grammar into [`Term`]s and
//! evaluates them to the same values, quirks included:
//!
//! - `plan op release` on another plan is false, except `!=`, which is true;
//! - `!=` on the current plan compares the release *strings*;
//! - `not X` is `X != current short name`, so `not <feature>` is always true;
//! - `not ghes > 3.5` is always false (and `not ghes != 3.5` always true);
//! - unknown names are false.
//!
//! We also accept `>=` and `<=`, which the reference rejects; lint reports them.

use std::fmt;

use super::{Plan, Version};

/// A comparison operator in `plan op release`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `=`: the same release.
    Eq,
    /// `!=`: another release.
    NotEq,
    /// `<`: an older release.
    Lt,
    /// `>`: a newer release.
    Gt,
    /// Not in the reference (a tokenization error there); accepted here.
    Le,
    /// Not in the reference (a tokenization error there); accepted here.
    Ge,
}

impl Op {
    /// The operator written `s`, if it is one.
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "=" => Op::Eq,
            "!=" => Op::NotEq,
            "<" => Op::Lt,
            ">" => Op::Gt,
            "<=" => Op::Le,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    /// The operator as written (`=`, `!=`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::NotEq => "!=",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Ge => ">=",
        }
    }

    /// Whether the reference engine supports this operator.
    pub fn is_reference_operator(self) -> bool {
        !matches!(self, Op::Le | Op::Ge)
    }
}

/// `and` / `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Join {
    /// `and`: both sides hold.
    And,
    /// `or`: either side holds.
    Or,
}

/// One operand of an `ifversion` condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A short name (`ghes`), a feature name, or anything else (false).
    Name(String),
    /// `not NAME`.
    Not(String),
    /// `NAME op RELEASE`, e.g. `ghes > 3.4`.
    Compare {
        /// The name before the operator (`ghes`).
        name: String,
        /// The operator.
        op: Op,
        /// The release as written (`3.4`).
        release: String,
    },
    /// `not NAME op RELEASE`: the reference turns `not NAME` into a boolean first,
    /// so this compares a boolean with a release (false, or true for `!=`).
    NotCompare {
        /// The name after `not`.
        name: String,
        /// The operator.
        op: Op,
        /// The release as written (`3.4`).
        release: String,
    },
}

/// A parsed `ifversion` / `elsif` condition.
///
/// ```
/// use docgate::versions::{Condition, Release, Version};
/// let c = Condition::parse("ghec or ghes > 3.4").unwrap();
/// let no_features = |_: &str| None;
/// assert!(c.eval(Version::Ghes(Release::new(3, 5)), &no_features));
/// assert!(!c.eval(Version::Ghes(Release::new(3, 4)), &no_features));
/// assert!(c.eval(Version::Ghec, &no_features));
/// assert!(!c.eval(Version::Fpt, &no_features));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// The operands, in the order written.
    pub terms: Vec<Term>,
    /// `joins[i]` sits between `terms[i]` and `terms[i + 1]`.
    pub joins: Vec<Join>,
}

/// A condition that does not follow the grammar; `token` is the index (in the
/// whitespace-split condition) of the offending token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    /// What is wrong, and the valid syntax.
    pub message: String,
    /// The index of the offending token in the whitespace-split condition.
    pub token: usize,
}

const SYNTAX: &str = "valid syntax: `ifversion NAME`, `ifversion not NAME`, `ifversion ghes OP RELEASE` \
                      (OP one of = != < >), joined with `and` / `or`";

/// `ghes>3.4` → `ghes > 3.4`: a comparison written without spaces.
fn spaced_comparison(token: &str) -> Option<String> {
    let at = token.find(['<', '>', '=', '!'])?;
    let (name, rest) = token.split_at(at);
    let op_len = rest.len() - rest.trim_start_matches(['<', '>', '=', '!']).len();
    let (op, release) = rest.split_at(op_len);
    (is_name(name) && Op::parse(op).is_some() && is_release_literal(release)).then(|| format!("{name} {op} {release}"))
}

fn is_release_literal(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Condition {
    /// Parses a condition written with whitespace between tokens.
    pub fn parse(text: &str) -> Result<Condition, ExprError> {
        let tokens: Vec<&str> = text.split_whitespace().collect();
        Self::parse_tokens(&tokens)
    }

    /// Parses a condition already split into tokens.
    pub fn parse_tokens(tokens: &[&str]) -> Result<Condition, ExprError> {
        let err = |token: usize, message: String| ExprError {
            message: format!("{message}; {SYNTAX}"),
            token,
        };
        if tokens.is_empty() {
            return Err(err(0, "empty condition".into()));
        }
        let mut terms = Vec::new();
        let mut joins = Vec::new();
        let mut i = 0;
        loop {
            // One term.
            let negated = tokens.get(i) == Some(&"not");
            if negated {
                i += 1;
            }
            let Some(&name) = tokens.get(i) else {
                return Err(err(i.saturating_sub(1), "`not` needs a name after it".into()));
            };
            if !is_name(name) || matches!(name, "and" | "or" | "not") {
                let what = if name.starts_with('(') || name.ends_with(')') {
                    "parentheses are not allowed".to_string()
                } else if let Some(spaced) = spaced_comparison(name) {
                    format!("write spaces around the operator: `{spaced}`, not `{name}`")
                } else {
                    format!("expected a version or feature name, found `{name}`")
                };
                return Err(err(i, what));
            }
            i += 1;
            let term = match tokens.get(i).map(|t| (t, Op::parse(t))) {
                Some((_, Some(op))) => {
                    let Some(&release) = tokens.get(i + 1) else {
                        return Err(err(i, format!("`{}` needs a release after it", op.as_str())));
                    };
                    if !is_release_literal(release) {
                        return Err(err(i + 1, format!("`{release}` is not a release number such as 3.5")));
                    }
                    i += 2;
                    let (name, release) = (name.to_string(), release.to_string());
                    if negated {
                        Term::NotCompare { name, op, release }
                    } else {
                        Term::Compare { name, op, release }
                    }
                }
                Some((t, None)) if t.chars().all(|c| "=<>!".contains(c)) => {
                    return Err(err(i, format!("unsupported operator `{t}`")));
                }
                _ if negated => Term::Not(name.to_string()),
                _ => Term::Name(name.to_string()),
            };
            terms.push(term);
            // A join or the end.
            match tokens.get(i) {
                None => break,
                Some(&"and") => joins.push(Join::And),
                Some(&"or") => joins.push(Join::Or),
                Some(t) => return Err(err(i, format!("expected `and` or `or`, found `{t}`"))),
            }
            i += 1;
            if i == tokens.len() {
                return Err(err(i - 1, "a condition cannot end with `and`/`or`".into()));
            }
        }
        Ok(Condition { terms, joins })
    }

    /// Evaluates the condition for `version`; `feature` answers whether a feature
    /// is on in that version (`None` when there is no such feature: false).
    pub fn eval(&self, version: Version, feature: &dyn Fn(&str) -> Option<bool>) -> bool {
        let mut value = self.eval_term(&self.terms[self.terms.len() - 1], version, feature);
        for i in (0..self.joins.len()).rev() {
            let left = self.eval_term(&self.terms[i], version, feature);
            value = match self.joins[i] {
                Join::And => left && value,
                Join::Or => left || value,
            };
        }
        value
    }

    fn eval_term(&self, term: &Term, version: Version, feature: &dyn Fn(&str) -> Option<bool>) -> bool {
        let current = version.short_name();
        match term {
            Term::Name(name) => match name.as_str() {
                "true" => true,
                "false" => false,
                n if Plan::is_short_name(n) => n == current,
                n => feature(n).unwrap_or(false),
            },
            Term::Not(name) => name != current,
            Term::Compare { name, op, release } => {
                if name != current {
                    return *op == Op::NotEq;
                }
                let Some(current_release) = version.release() else {
                    // Unnumbered plans have no release to compare (undefined in the reference).
                    return *op == Op::NotEq;
                };
                if *op == Op::NotEq {
                    return !current_release.is_written_as(release);
                }
                compare(*op, current_release, release)
            }
            Term::NotCompare { op, .. } => *op == Op::NotEq,
        }
    }

    /// Every name the condition mentions (plans and features), in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(|t| match t {
            Term::Name(n) | Term::Not(n) => n.as_str(),
            Term::Compare { name, .. } | Term::NotCompare { name, .. } => name.as_str(),
        })
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Name(n) => f.write_str(n),
            Term::Not(n) => write!(f, "not {n}"),
            Term::Compare { name, op, release } => write!(f, "{name} {} {release}", op.as_str()),
            Term::NotCompare { name, op, release } => write!(f, "not {name} {} {release}", op.as_str()),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(match self.joins[i - 1] {
                    Join::And => " and ",
                    Join::Or => " or ",
                })?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

/// `current op release` as the reference's semver range `op release` (`>3.4`
/// is `>=3.5.0`, `<=3.4` is `<3.5.0`). A plain `major.minor` is compared as
/// numbers (ifversion runs for every page × version); anything else goes
/// through semver, as in the reference.
fn compare(op: Op, current: crate::versions::Release, release: &str) -> bool {
    use std::cmp::Ordering::*;
    match release.parse::<crate::versions::Release>() {
        Ok(r) if r.is_written_as(release) => {
            let ord = current.cmp(&r);
            match op {
                Op::Eq => ord == Equal,
                Op::NotEq => ord != Equal,
                Op::Lt => ord == Less,
                Op::Gt => ord == Greater,
                Op::Le => ord != Greater,
                Op::Ge => ord != Less,
            }
        }
        _ => compare_semver(op, current, release),
    }
}

/// `current op release` through semver, as the reference evaluates it.
fn compare_semver(op: Op, current: crate::versions::Release, release: &str) -> bool {
    semver::VersionReq::parse(&format!("{}{}", op.as_str(), release)).is_ok_and(|req| req.matches(&current.to_semver()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn numeric_comparison_is_the_semver_one() {
        use crate::versions::Release;
        for op in [Op::Eq, Op::Lt, Op::Gt, Op::Le, Op::Ge] {
            for cur in ["2.22", "3.0", "3.4", "3.5", "3.9", "3.10", "3.14", "4.0"] {
                for rel in [
                    "2.22", "3.0", "3.4", "3.5", "3.10", "3.9", "4.0", "3", "3.4.1", "03.4", "x",
                ] {
                    let cur: Release = cur.parse().unwrap();
                    assert_eq!(
                        compare(op, cur, rel),
                        compare_semver(op, cur, rel),
                        "{cur} {} {rel}",
                        op.as_str()
                    );
                }
            }
        }
    }

    use super::*;

    #[test]
    fn parse_errors_point_at_the_token() {
        let e = |s: &str| Condition::parse(s).unwrap_err();
        assert_eq!(e("").token, 0);
        assert_eq!(e("ghes >").token, 1);
        assert_eq!(e("ghes > 3").token, 2);
        assert_eq!(e("ghes == 3.4").token, 1);
        assert_eq!(e("fpt or").token, 1);
        assert_eq!(e("fpt ghec").token, 1);
        assert_eq!(e("(fpt or ghec)").token, 0);
        assert_eq!(e("not").token, 0);
        assert_eq!(e("fpt and or ghec").token, 2);
        assert!(e("ghes == 3.4").message.contains("unsupported operator `==`"));
    }

    #[test]
    fn round_trip_display() {
        let c = Condition::parse("fpt or not ghec and ghes > 3.4").unwrap();
        assert_eq!(c.to_string(), "fpt or not ghec and ghes > 3.4");
        assert_eq!(c.names().collect::<Vec<_>>(), ["fpt", "ghec", "ghes"]);
    }
}
