//! One `ifversion`/`elsif` expression: grammar, names, operators, releases.

use super::*;

impl Linter<'_> {
    /// GHD020: the `ifversion` grammar and its names, operators and releases.
    /// Checks an `ifversion`/`elsif` condition; gives it back with whether an
    /// error was reported for it.
    pub(super) fn lint_condition(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) -> Option<(Condition, bool)> {
        let cond = match Condition::parse(args) {
            Ok(c) => c,
            Err(e) => {
                self.out
                    .push(src.finding("ifversion-syntax", Severity::Error, t.start, e.message));
                return None;
            }
        };
        let mut erred = false;
        for term in &cond.terms {
            let (severity, message) = match term {
                Term::Name(n) if !self.is_version_name(n) && !matches!(n.as_str(), "true" | "false") => (
                    Severity::Error,
                    format!("`{n}` is not a plan (fpt, ghec, ghes, ghae) or a feature in data/features/"),
                ),
                Term::Not(n) if self.features.contains(n) => (
                    Severity::Error,
                    format!("`not {n}` is always true: the reference engine only negates plan names"),
                ),
                Term::Not(n) if !Plan::is_short_name(n) => {
                    (Severity::Error, format!("`not {n}`: `{n}` is not a plan name"))
                }
                Term::NotCompare { name, op, release } => (
                    Severity::Error,
                    format!(
                        "`not {name} {} {release}` is always {}: the reference engine negates the name, not the comparison",
                        op.as_str(),
                        *op == Op::NotEq
                    ),
                ),
                Term::Compare { name, .. } if name != "ghes" => (
                    Severity::Error,
                    format!("`{term}`: only `ghes` has numbered releases to compare"),
                ),
                Term::Compare { op, release, .. } => {
                    if !op.is_reference_operator() {
                        self.out.push(src.finding(
                            "ifversion-operator",
                            Severity::Warning,
                            t.start,
                            format!(
                                "`{term}`: the reference engine rejects `{}` (use `>` or `<`)",
                                op.as_str()
                            ),
                        ));
                    }
                    match Release::parse_installed(release)
                        .ok()
                        .and_then(|r| self.table.get(r).map(|i| (r, i)))
                    {
                        None => (Severity::Error, format!("`{term}`: {release} is not a GHES release")),
                        Some((r, info)) if info.status(self.table.today()) == ReleaseStatus::Deprecated => {
                            self.out.push(src.finding(
                                "deprecated-release",
                                Severity::Warning,
                                t.start,
                                format!(
                                    "`{term}` refers to {r}, deprecated since {}; the gate may now be simplified",
                                    info.deprecation.map_or_else(String::new, |d| d.to_string())
                                ),
                            ));
                            continue;
                        }
                        _ => continue,
                    }
                }
                _ => continue,
            };
            erred |= severity == Severity::Error;
            self.out
                .push(src.finding("ifversion-syntax", severity, t.start, message));
        }
        Some((cond, erred))
    }
}
