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
    #[serde(default)]
    pub verifiable_password_authentication: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_version: Option<String>,
}

/// A string or a number (`seats` may be `"unlimited"`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Seats {
    Count(i64),
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
    pub seats: Seats,
    pub seats_used: i64,
    pub seats_available: Seats,
    pub kind: String,
    pub days_until_expiration: i64,
    /// `YYYY/MM/DD HH:MM:SS ±ZZZZ`, not ISO 8601.
    pub expire_at: String,
}

/// The last sync of one instance.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct LastSync {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

/// One GHES instance in `license-sync-status`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ServerInstance {
    #[serde(default)]
    pub server_id: String,
    #[serde(default)]
    pub hostname: String,
    #[serde(default, deserialize_with = "empty_object_as_none")]
    pub last_sync: Option<LastSync>,
}

/// `GET /enterprises/{enterprise}/license-sync-status`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct SyncStatus {
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
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_login: String,
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_name: String,
    #[serde(default)]
    pub enterprise_server_user_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub github_com_user: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub enterprise_server_user: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub visual_studio_subscription_user: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub license_type: String,
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_profile: String,
    #[serde(default)]
    pub github_com_member_roles: Vec<String>,
    #[serde(default)]
    pub github_com_enterprise_roles: Vec<String>,
    #[serde(default)]
    pub github_com_verified_domain_emails: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub github_com_saml_name_id: String,
    #[serde(default)]
    pub github_com_orgs_with_pending_invites: Vec<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub github_com_two_factor_auth: Option<bool>,
    #[serde(default)]
    pub enterprise_server_emails: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub visual_studio_license_status: String,
    #[serde(default, deserialize_with = "nullable")]
    pub visual_studio_subscription_email: String,
    #[serde(default)]
    pub total_user_accounts: i64,
}

/// `GET /enterprises/{enterprise}/consumed-licenses` (one page).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ConsumedLicenses {
    #[serde(default)]
    pub total_seats_consumed: i64,
    #[serde(default)]
    pub total_seats_purchased: i64,
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
