//! The JSON shapes of the license-sync REST endpoints (GHES `/meta` and
//! `/enterprise/settings/license`, GHEC `consumed-licenses` and
//! `license-sync-status`), shared by the client and the emulator.
//!
//! Fields are optional where the published schemas make them optional, and
//! lenient where real responses differ from the schema (strings where the
//! schema says boolean, `""` where it says null).

use serde::{Deserialize, Deserializer, Serialize};

/// `GET /api/v3/meta` on GHES (only what docgate uses).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Meta {
    /// Whether the instance supports authentication with a username and password.
    #[serde(default)]
    pub verifiable_password_authentication: bool,
    /// The installed GHES version, such as `3.14.2` (absent on older instances).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_version: Option<String>,
}

/// A string or a number (`seats` may be `"unlimited"`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Seats {
    /// A number of seats.
    Count(i64),
    /// A word instead of a number, such as `unlimited`.
    Text(String),
}

impl std::fmt::Display for Seats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Seats::Count(n) => write!(f, "{n}"),
            Seats::Text(s) => f.write_str(s),
        }
    }
}

/// `GET /api/v3/enterprise/settings/license` on GHES.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct LicenseInfo {
    /// The seats the license grants.
    pub seats: Seats,
    /// The seats in use on this instance.
    pub seats_used: i64,
    /// The seats still free.
    pub seats_available: Seats,
    /// The kind of license, such as `standard`.
    pub kind: String,
    /// Days left before the license expires.
    pub days_until_expiration: i64,
    /// `YYYY/MM/DD HH:MM:SS ±ZZZZ`, not ISO 8601.
    pub expire_at: String,
}

/// The last sync of one instance.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct LastSync {
    /// When the sync ran, as GitHub writes the date (`None` or `""` when never).
    #[serde(default)]
    pub date: Option<String>,
    /// How the sync ended, such as `success` or `failed`.
    #[serde(default)]
    pub status: Option<String>,
    /// Why the sync failed, when it did.
    #[serde(default)]
    pub error: Option<String>,
}

/// One GHES instance in `license-sync-status`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ServerInstance {
    /// The instance's server ID.
    #[serde(default)]
    pub server_id: String,
    /// The instance's host name.
    #[serde(default)]
    pub hostname: String,
    /// The instance's last sync; `None` when it never synced (GitHub sends `{}`).
    #[serde(default, deserialize_with = "empty_object_as_none")]
    pub last_sync: Option<LastSync>,
}

/// `GET /enterprises/{enterprise}/license-sync-status`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct SyncStatus {
    /// The GHES instances connected to the enterprise.
    #[serde(default)]
    pub server_instances: Vec<ServerInstance>,
}

fn empty_object_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<LastSync>, D::Error> {
    let v: Option<LastSync> = Option::deserialize(d)?;
    Ok(v.filter(|s| s.date.as_deref().is_some_and(|d| !d.is_empty()) || s.status.is_some()))
}

/// `true`/`false`, `null`, or the `""` real responses carry for "unknown".
fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Text(String),
    }
    Ok(match Option::<B>::deserialize(d)? {
        Some(B::Bool(b)) => Some(b),
        Some(B::Text(t)) => match t.as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        None => None,
    })
}

/// A string that may be `null`: kept as `""`.
fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// One person in `consumed-licenses`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct LicensedUser {
    /// The person's GitHub.com (GHEC) login; `""` when they have no GHEC account.
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_login: String,
    /// The display name of the GitHub.com account.
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_name: String,
    /// The person's GHES accounts, as `hostname:user id`.
    #[serde(default)]
    pub enterprise_server_user_ids: Vec<String>,
    /// Whether the person has a GitHub.com account in the enterprise; `None` when unknown.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub github_com_user: Option<bool>,
    /// Whether the person has a GHES account; `None` when unknown.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub enterprise_server_user: Option<bool>,
    /// Whether the person has a Visual Studio subscription with GitHub Enterprise; `None` when unknown.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub visual_studio_subscription_user: Option<bool>,
    /// The license the person consumes, such as `enterprise`.
    #[serde(default, deserialize_with = "nullable")]
    pub license_type: String,
    /// The URL of the GitHub.com profile.
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_profile: String,
    /// The person's roles in the enterprise's organizations.
    #[serde(default)]
    pub github_com_member_roles: Vec<String>,
    /// The person's roles in the enterprise.
    #[serde(default)]
    pub github_com_enterprise_roles: Vec<String>,
    /// The person's GitHub.com emails on the enterprise's verified domains (what license sync matches GHES emails with).
    #[serde(default)]
    pub github_com_verified_domain_emails: Vec<String>,
    /// The SAML NameID the identity provider sends for the person.
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_saml_name_id: String,
    /// The organizations that invited the person and are still waiting for an answer.
    #[serde(default)]
    pub github_com_orgs_with_pending_invites: Vec<String>,
    /// Whether the GitHub.com account has two-factor authentication on; `None` when unknown.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub github_com_two_factor_auth: Option<bool>,
    /// The person's primary emails on GHES.
    #[serde(default)]
    pub enterprise_server_emails: Vec<String>,
    /// The status of the Visual Studio subscription's license.
    #[serde(default, deserialize_with = "nullable")]
    pub visual_studio_license_status: String,
    /// The email of the Visual Studio subscription.
    #[serde(default, deserialize_with = "nullable")]
    pub visual_studio_subscription_email: String,
    /// How many accounts (GHEC and GHES) make up this person.
    #[serde(default)]
    pub total_user_accounts: i64,
}

/// `GET /enterprises/{enterprise}/consumed-licenses` (one page).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ConsumedLicenses {
    /// The licenses the enterprise consumes.
    #[serde(default)]
    pub total_seats_consumed: i64,
    /// The licenses the enterprise bought.
    #[serde(default)]
    pub total_seats_purchased: i64,
    /// The people on this page.
    #[serde(default)]
    pub users: Vec<LicensedUser>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_official_examples_quirks_decode() {
        let page: ConsumedLicenses = serde_json::from_str(
            r#"{"total_seats_consumed":5000,"total_seats_purchased":4500,"users":[
              {"github_com_login":"","github_com_name":null,"enterprise_server_user_ids":["example_host_name.com:123"],
               "github_com_user":false,"enterprise_server_user":true,"github_com_two_factor_auth":"",
               "github_com_enterprise_role":"","enterprise_server_emails":["j@example.com"],"total_user_accounts":1}]}"#,
        )
        .unwrap();
        let u = &page.users[0];
        assert_eq!(u.github_com_two_factor_auth, None);
        assert_eq!(u.enterprise_server_user, Some(true));
        assert_eq!(page.total_seats_consumed, 5000);
        let lic: LicenseInfo = serde_json::from_str(
            r#"{"seats":"unlimited","seats_used":1316,"seats_available":"unlimited","kind":"standard","days_until_expiration":365,"expire_at":"2016/02/06 12:41:52 -0600"}"#,
        )
        .unwrap();
        assert_eq!(lic.seats.to_string(), "unlimited");
        let st: SyncStatus =
            serde_json::from_str(r#"{"server_instances":[{"server_id":"x","hostname":"h","last_sync":{}}]}"#).unwrap();
        assert_eq!(
            st.server_instances[0].last_sync, None,
            "an empty last_sync is `never synced`"
        );
    }
}

/// What `sync upload` checks in a license usage export before it waits: the
/// fields GitHub documents for the file (Server ID, License, Host name, …).
/// The real key spelling is not documented, so `server_id`, `serverId` and
/// `Server ID` are all accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageExport {
    /// The instance's host name as the file names it, when it does.
    pub host_name: Option<String>,
    /// The instance's server ID.
    pub server_id: String,
}

impl UsageExport {
    /// Parses `bytes` (the contents of `file`): a located error for bad JSON,
    /// a clear one for JSON that is not an export.
    pub fn parse(file: &std::path::Path, bytes: &[u8]) -> Result<UsageExport, crate::Error> {
        use crate::escape::untrusted_line;
        let shown = file.display().to_string();
        let not_export = |why: &str| {
            crate::Error::input(format!("{}: not a license usage export: {why}", untrusted_line(&shown))).with_help(
                "create it with `docgate sync export`, or Export license usage on GHES (Enterprise settings → License)",
            )
        };
        let text = std::str::from_utf8(bytes).map_err(|_| not_export("it is not UTF-8 text"))?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            crate::Error::at(
                crate::Location::new(shown.as_str(), e.line(), e.column()),
                format!("not a license usage export: invalid JSON: {e}"),
            )
            .with_source_text(text.into())
        })?;
        let obj = value.as_object().ok_or_else(|| not_export("it is not a JSON object"))?;
        let field = |name: &str| {
            obj.iter()
                .find(|(k, _)| {
                    let k: String = k
                        .chars()
                        .filter(|c| c.is_alphanumeric())
                        .flat_map(char::to_lowercase)
                        .collect();
                    k == name
                })
                .and_then(|(_, v)| v.as_str())
                .map(str::to_string)
        };
        let server_id = field("serverid").ok_or_else(|| not_export("it has no Server ID (`server_id`)"))?;
        if field("license").is_none() {
            return Err(not_export("it has no License hash (`license`)"));
        }
        Ok(UsageExport {
            host_name: field("hostname"),
            server_id,
        })
    }
}

#[cfg(test)]
mod usage_export_tests {
    use super::*;

    #[test]
    fn exports_are_recognised_and_others_explained() {
        let f = std::path::Path::new("usage.json");
        let ok = UsageExport::parse(
            f,
            br#"{"Server ID": "b6a4", "License": "6f1e", "Host name": "ghes.example.com"}"#,
        )
        .unwrap();
        assert_eq!(ok.host_name.as_deref(), Some("ghes.example.com"));
        assert_eq!(ok.server_id, "b6a4");
        let err = |b: &[u8]| UsageExport::parse(f, b).unwrap_err().to_string();
        assert!(err(b"[1]").contains("not a JSON object"));
        assert!(err(br#"{"license": "x"}"#).contains("no Server ID"));
        assert!(err(br#"{"server_id": "x"}"#).contains("no License"));
        let bad = UsageExport::parse(f, b"{\n  \"server_id\": oops\n}").unwrap_err();
        assert_eq!(bad.location().map(|l| (l.line, l.column)), Some((2, 16)), "{bad}");
    }
}
