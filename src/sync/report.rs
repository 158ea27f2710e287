//! The consumed-licenses report: every person GitHub counts, written as CSV or
//! JSON while the pages arrive, and an analysis of people who are probably
//! counted twice (a GHES-only entry and a GHEC-only entry that look like the
//! same person) and of accounts that cannot be matched at all.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use serde::Serialize;

use super::model::LicensedUser;
use crate::error::Error;

/// What the analysis keeps of one person (compact: a million fit in little memory).
#[derive(Clone, Debug, Default)]
pub struct Person {
    /// The GitHub.com login (`""` when none).
    pub login: Box<str>,
    /// The GitHub.com display name.
    pub name: Box<str>,
    /// The SAML NameID, lowercased.
    pub saml_name_id: Box<str>,
    /// The GHES accounts, as `hostname:user id`.
    pub ghes_ids: Box<[Box<str>]>,
    /// The primary emails on GHES, lowercased.
    pub ghes_emails: Box<[Box<str>]>,
    /// The GitHub.com emails on verified domains, lowercased.
    pub ghec_emails: Box<[Box<str>]>,
    /// Whether the person has a GHEC account.
    pub on_ghec: bool,
    /// Whether the person has a GHES account.
    pub on_ghes: bool,
}

fn boxed(v: &[String]) -> Box<[Box<str>]> {
    v.iter().map(|s| s.to_lowercase().into_boxed_str()).collect()
}

impl From<&LicensedUser> for Person {
    fn from(u: &LicensedUser) -> Self {
        Person {
            login: u.github_com_login.as_str().into(),
            name: u.github_com_name.as_str().into(),
            saml_name_id: u.github_com_saml_name_id.to_lowercase().into_boxed_str(),
            ghes_ids: u.enterprise_server_user_ids.iter().map(|s| s.as_str().into()).collect(),
            ghes_emails: boxed(&u.enterprise_server_emails),
            ghec_emails: boxed(&u.github_com_verified_domain_emails),
            on_ghec: u.github_com_user == Some(true) || !u.github_com_login.is_empty(),
            on_ghes: u.enterprise_server_user == Some(true) || !u.enterprise_server_user_ids.is_empty(),
        }
    }
}

impl Person {
    fn label(&self) -> String {
        if !self.login.is_empty() {
            format!("@{}", self.login)
        } else if let Some(e) = self.ghes_emails.first() {
            e.to_string()
        } else if let Some(id) = self.ghes_ids.first() {
            format!("GHES user {id}")
        } else {
            "an unnamed entry".into()
        }
    }
}

/// Why two entries look like one person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// The GHEC account's SAML NameID is the GHES email (or its local part).
    SamlNameId,
    /// Same local part, different domains.
    EmailLocalPart,
    /// The GHEC display name matches the GHES email's name parts.
    Name,
}

/// A likely double-counted person.
#[derive(Clone, Debug, Serialize)]
pub struct Suspect {
    /// The GHES-only entry, as a label (login, email or GHES user).
    pub ghes: String,
    /// The GHEC-only entry it looks like, as a label.
    pub ghec: String,
    /// Why the two look like one person.
    pub reason: Reason,
    /// What matched, in a sentence.
    pub detail: String,
    /// What to change so license sync counts them once.
    pub fix: String,
}

/// An account that cannot be matched across environments.
#[derive(Clone, Debug, Serialize)]
pub struct Unmatchable {
    /// The account, as a label (login, email or GHES user).
    pub who: String,
    /// Why it cannot be matched.
    pub detail: String,
    /// What to change so it can be.
    pub fix: String,
}

/// Counts of the report.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    /// The licenses consumed, as GitHub reports them.
    pub consumed: i64,
    /// The licenses purchased, as GitHub reports them.
    pub purchased: i64,
    /// The people in the report.
    pub users: i64,
    /// People with a GHES account only.
    pub ghes_only: i64,
    /// People with a GHEC account only.
    pub ghec_only: i64,
    /// People with both (already matched by license sync).
    pub both: i64,
}

/// The analysis of a consumed-licenses report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Analysis {
    /// The counts.
    pub totals: Totals,
    /// The verified domains seen in GHEC emails, sorted.
    pub verified_domains: Vec<String>,
    /// The likely double-counted people.
    pub suspects: Vec<Suspect>,
    /// The accounts that cannot be matched.
    pub unmatchable: Vec<Unmatchable>,
}

fn split_email(e: &str) -> Option<(&str, &str)> {
    e.split_once('@').filter(|(l, d)| !l.is_empty() && !d.is_empty())
}

/// Name parts of an email local part (`jane.doe` → `doe jane`), when there are two or more.
fn name_key_from_local(local: &str) -> Option<String> {
    let mut parts: Vec<&str> = local
        .split(['.', '_', '-'])
        .filter(|p| p.len() > 1 && p.chars().all(char::is_alphabetic))
        .collect();
    if parts.len() < 2 {
        return None;
    }
    parts.sort_unstable();
    Some(parts.join(" "))
}

fn name_key(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    let mut parts: Vec<&str> = lower
        .split_whitespace()
        .filter(|p| p.chars().all(char::is_alphabetic))
        .collect();
    if parts.len() < 2 {
        return None;
    }
    parts.sort_unstable();
    Some(parts.join(" "))
}

/// Finds likely double-counted people and unmatchable accounts. Linear in the
/// number of people.
pub fn analyze(people: &[Person], consumed: i64, purchased: i64) -> Analysis {
    let mut totals = Totals {
        consumed,
        purchased,
        users: people.len() as i64,
        ..Totals::default()
    };
    let mut domains: HashSet<&str> = HashSet::new();
    let mut by_name_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_local: HashMap<&str, Vec<(usize, &str)>> = HashMap::new();
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        for e in p.ghec_emails.iter() {
            if let Some((_, d)) = split_email(e) {
                domains.insert(d);
            }
        }
        match (p.on_ghes, p.on_ghec) {
            (true, true) => totals.both += 1,
            (true, false) => totals.ghes_only += 1,
            (false, true) => {
                totals.ghec_only += 1;
                if !p.saml_name_id.is_empty() {
                    by_name_id.entry(&p.saml_name_id).or_default().push(i);
                    if let Some((local, _)) = split_email(&p.saml_name_id) {
                        by_name_id.entry(local).or_default().push(i);
                    }
                }
                for e in p.ghec_emails.iter() {
                    if let Some((local, d)) = split_email(e) {
                        by_local.entry(local).or_default().push((i, d));
                    }
                }
                if let Some(k) = name_key(&p.name) {
                    by_name.entry(k).or_default().push(i);
                }
            }
            (false, false) => {}
        }
    }
    let mut suspects = Vec::new();
    let mut unmatchable = Vec::new();
    let mut paired: HashSet<(usize, usize)> = HashSet::new();
    for (i, p) in people.iter().enumerate() {
        if p.on_ghec && p.ghec_emails.is_empty() {
            unmatchable.push(Unmatchable {
                who: p.label(),
                detail: "no email on a verified domain: GitHub cannot match this account with a GHES account".into(),
                fix: format!(
                    "ask {} to add and verify an email address on one of the enterprise's verified domains",
                    p.label()
                ),
            });
        }
        if !p.on_ghes || p.on_ghec {
            continue;
        }
        if !domains.is_empty()
            && !p.ghes_emails.is_empty()
            && p.ghes_emails
                .iter()
                .all(|e| split_email(e).is_none_or(|(_, d)| !domains.contains(d)))
        {
            unmatchable.push(Unmatchable {
                who: p.label(),
                detail: format!(
                    "the GHES email {} is outside the verified domains, so it cannot match a GitHub account",
                    p.ghes_emails.join(", ")
                ),
                fix: "make the user's primary email on GHES an address on a verified domain".into(),
            });
        }
        for e in p.ghes_emails.iter() {
            let Some((local, domain)) = split_email(e) else {
                continue;
            };
            let mut hit = |j: usize, reason: Reason, detail: String, fix: String| {
                if paired.insert((i, j)) {
                    suspects.push(Suspect {
                        ghes: p.label(),
                        ghec: people[j].label(),
                        reason,
                        detail,
                        fix,
                    });
                }
            };
            for key in [&**e, local] {
                for &j in by_name_id.get(key).into_iter().flatten() {
                    let g = &people[j];
                    hit(
                        j,
                        Reason::SamlNameId,
                        format!(
                            "GHES email {e} matches the SAML NameID {} of {}",
                            g.saml_name_id,
                            g.label()
                        ),
                        format!(
                            "make {e} the primary email on GHES and check the IdP's NameID for {}, then run a sync",
                            g.label()
                        ),
                    );
                }
            }
            for &(j, d) in by_local.get(local).into_iter().flatten() {
                if d != domain {
                    hit(
                        j,
                        Reason::EmailLocalPart,
                        format!("GHES email {e} and GitHub email {local}@{d} share `{local}` on different domains"),
                        format!("change the GHES primary email to {local}@{d} (a verified domain), then sync"),
                    );
                }
            }
            if let Some(k) = name_key_from_local(local) {
                for &j in by_name.get(&k).into_iter().flatten() {
                    hit(
                        j,
                        Reason::Name,
                        format!(
                            "GHES email {e} looks like the name “{}” of {}",
                            people[j].name,
                            people[j].label()
                        ),
                        format!(
                            "if they are the same person, give {} a verified email that equals the GHES primary email",
                            people[j].label()
                        ),
                    );
                }
            }
        }
    }
    let mut verified_domains: Vec<String> = domains.into_iter().map(str::to_string).collect();
    verified_domains.sort();
    Analysis {
        totals,
        verified_domains,
        suspects,
        unmatchable,
    }
}

/// How the report's users are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// CSV with the columns of GitHub's consumed-licenses report.
    Csv,
    /// A JSON array of the users as the API returns them.
    Json,
}

/// Writes users as they arrive, in CSV (the GHEC report's columns) or as a JSON array.
pub struct UserWriter<W: Write> {
    format: ReportFormat,
    csv: Option<csv::Writer<W>>,
    json: Option<W>,
    first: bool,
}

const CSV_COLUMNS: [&str; 16] = [
    "github_com_login",
    "github_com_name",
    "github_com_user",
    "github_com_profile",
    "github_com_member_roles",
    "github_com_enterprise_roles",
    "github_com_verified_domain_emails",
    "github_com_saml_name_id",
    "github_com_orgs_with_pending_invites",
    "enterprise_server_user",
    "enterprise_server_primary_emails",
    "enterprise_server_user_ids",
    "visual_studio_subscription_user",
    "visual_studio_subscription_email",
    "license_type",
    "total_user_accounts",
];

fn opt(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "true",
        Some(false) => "false",
        None => "",
    }
}

impl<W: Write> UserWriter<W> {
    /// Starts the output on `out`: the CSV header, or the `[` of the JSON array.
    pub fn new(format: ReportFormat, out: W) -> Result<Self, Error> {
        let mut w = UserWriter {
            format,
            csv: None,
            json: None,
            first: true,
        };
        match format {
            ReportFormat::Csv => {
                let mut c = csv::Writer::from_writer(out);
                c.write_record(CSV_COLUMNS).map_err(|e| Error::input(e.to_string()))?;
                w.csv = Some(c);
            }
            ReportFormat::Json => {
                let mut out = out;
                out.write_all(b"[").map_err(|e| Error::io("report", e))?;
                w.json = Some(out);
            }
        }
        Ok(w)
    }

    /// Writes one user.
    pub fn write(&mut self, u: &LicensedUser) -> Result<(), Error> {
        match self.format {
            ReportFormat::Csv => {
                let c = self.csv.as_mut().expect("csv writer");
                let total = u.total_user_accounts.to_string();
                c.write_record([
                    u.github_com_login.as_str(),
                    &u.github_com_name,
                    opt(u.github_com_user),
                    &u.github_com_profile,
                    &u.github_com_member_roles.join(","),
                    &u.github_com_enterprise_roles.join(","),
                    &u.github_com_verified_domain_emails.join(","),
                    &u.github_com_saml_name_id,
                    &u.github_com_orgs_with_pending_invites.join(","),
                    opt(u.enterprise_server_user),
                    &u.enterprise_server_emails.join(","),
                    &u.enterprise_server_user_ids.join(","),
                    opt(u.visual_studio_subscription_user),
                    &u.visual_studio_subscription_email,
                    &u.license_type,
                    &total,
                ])
                .map_err(|e| Error::input(e.to_string()))
            }
            ReportFormat::Json => {
                let out = self.json.as_mut().expect("json writer");
                if !self.first {
                    out.write_all(b",\n").map_err(|e| Error::io("report", e))?;
                }
                self.first = false;
                serde_json::to_writer(&mut *out, u).map_err(|e| Error::input(e.to_string()))
            }
        }
    }

    /// Ends the output (the CSV flush, or the `]` of the JSON array) and gives back the writer.
    pub fn finish(self) -> Result<W, Error> {
        match self.format {
            ReportFormat::Csv => self
                .csv
                .expect("csv writer")
                .into_inner()
                .map_err(|e| Error::input(e.to_string())),
            ReportFormat::Json => {
                let mut out = self.json.expect("json writer");
                out.write_all(b"]\n").map_err(|e| Error::io("report", e))?;
                Ok(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ghes(email: &str) -> Person {
        Person {
            ghes_ids: vec!["h:1".into()].into(),
            ghes_emails: vec![email.into()].into(),
            on_ghes: true,
            ..Default::default()
        }
    }

    fn ghec(login: &str, name: &str, email: &str, name_id: &str) -> Person {
        Person {
            login: login.into(),
            name: name.into(),
            saml_name_id: name_id.into(),
            ghec_emails: if email.is_empty() {
                vec![].into()
            } else {
                vec![email.into()].into()
            },
            on_ghec: true,
            ..Default::default()
        }
    }

    #[test]
    fn finds_each_kind_of_double_count() {
        let people = vec![
            ghes("jdoe@corp.example"),
            ghec("jdoe-gh", "John Doe", "jdoe@example.com", ""),
            ghes("amy@example.com"),
            ghec("amy-gh", "Amy", "amy.w@example.com", "amy@example.com"),
            ghes("jane.roe@example.com"),
            ghec("jroe", "Jane Roe", "jr@example.com", ""),
            ghec("nomail", "No Mail", "", ""),
            ghes("solo@elsewhere.example"),
        ];
        let a = analyze(&people, 8, 10);
        assert_eq!((a.totals.ghes_only, a.totals.ghec_only, a.totals.both), (4, 4, 0));
        let reasons: Vec<(Reason, &str)> = a.suspects.iter().map(|s| (s.reason, s.ghec.as_str())).collect();
        assert!(reasons.contains(&(Reason::EmailLocalPart, "@jdoe-gh")), "{reasons:?}");
        assert!(reasons.contains(&(Reason::SamlNameId, "@amy-gh")), "{reasons:?}");
        assert!(reasons.contains(&(Reason::Name, "@jroe")), "{reasons:?}");
        assert_eq!(a.suspects.len(), 3, "{:#?}", a.suspects);
        assert!(a.suspects.iter().all(|s| !s.fix.is_empty()));
        let who: Vec<&str> = a.unmatchable.iter().map(|u| u.who.as_str()).collect();
        assert!(
            who.contains(&"@nomail") && who.contains(&"solo@elsewhere.example") && who.contains(&"jdoe@corp.example"),
            "{who:?}"
        );
        assert_eq!(a.verified_domains, ["example.com"]);
    }

    #[test]
    fn writers() {
        let u = LicensedUser {
            github_com_login: "a,b".into(),
            enterprise_server_user: Some(true),
            ..Default::default()
        };
        let mut w = UserWriter::new(ReportFormat::Csv, Vec::new()).unwrap();
        w.write(&u).unwrap();
        let csv = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(csv.lines().nth(1).unwrap().starts_with("\"a,b\",,,"), "{csv}");
        let mut w = UserWriter::new(ReportFormat::Json, Vec::new()).unwrap();
        w.write(&u).unwrap();
        w.write(&u).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&w.finish().unwrap()).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 2);
    }
}
