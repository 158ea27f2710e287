//! The emulator's people: a deterministic function of their index, so a
//! million of them cost no memory. Every 20 people follow the same pattern:
//! most are on both GHES and GHEC, some on one side only, and some are the
//! same person counted twice in the ways the report's analysis looks for.

use crate::sync::model::LicensedUser;

/// A lowercase alphabetic tag unique to `k` (`a`, `b`, … `ba`, …).
fn tag(mut k: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (k % 26) as u8);
        k /= 26;
        if k == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

const FIRST: [&str; 8] = ["jane", "omar", "li", "ana", "kofi", "mira", "tom", "sara"];

fn ghec(login: String, name: String, email: Option<String>, name_id: String) -> LicensedUser {
    LicensedUser {
        github_com_profile: format!("https://github.com/{login}"),
        github_com_login: login,
        github_com_name: name,
        github_com_user: Some(true),
        enterprise_server_user: Some(false),
        visual_studio_subscription_user: Some(false),
        license_type: "enterprise".into(),
        github_com_member_roles: vec!["acme:Member".into()],
        github_com_verified_domain_emails: email.into_iter().collect(),
        github_com_saml_name_id: name_id,
        github_com_two_factor_auth: Some(true),
        total_user_accounts: 1,
        ..LicensedUser::default()
    }
}

fn ghes(host: &str, i: usize, email: String) -> LicensedUser {
    LicensedUser {
        enterprise_server_user_ids: vec![format!("{host}:{}", i + 1)],
        enterprise_server_user: Some(true),
        github_com_user: Some(false),
        visual_studio_subscription_user: Some(false),
        license_type: "enterprise".into(),
        enterprise_server_emails: vec![email],
        total_user_accounts: 1,
        ..LicensedUser::default()
    }
}

/// Person `i`, with GHES accounts on `host`.
pub fn user(i: usize, host: &str) -> LicensedUser {
    let k = i / 20;
    let t = tag(k);
    let first = FIRST[k % FIRST.len()];
    match i % 20 {
        0..=10 => {
            let mut u = ghec(
                format!("user{i}"),
                format!("User {t}"),
                Some(format!("user{i}@example.com")),
                String::new(),
            );
            u.enterprise_server_user = Some(true);
            u.enterprise_server_user_ids = vec![format!("{host}:{}", i + 1)];
            u.enterprise_server_emails = vec![format!("user{i}@example.com")];
            u.total_user_accounts = 2;
            u
        }
        11 => ghec(
            format!("cloud{i}"),
            format!("Cloud {t}"),
            Some(format!("cloud{i}@example.com")),
            String::new(),
        ),
        12 => ghec(
            format!("gh{i}"),
            format!("{} Roe{t}", capitalize(first)),
            Some(format!("gh{i}@example.com")),
            String::new(),
        ),
        13 => ghes(host, i, format!("{first}.roe{t}@example.com")),
        14 => ghes(host, i, format!("server{i}@example.com")),
        15 => ghes(host, i, format!("pair{t}@corp.example")),
        16 => ghec(
            format!("pair-gh-{t}"),
            format!("Pair {t}"),
            Some(format!("pair{t}@example.com")),
            String::new(),
        ),
        17 => ghes(host, i, format!("saml{t}@example.com")),
        18 => ghec(
            format!("saml-gh-{t}"),
            format!("Saml {t}"),
            Some(format!("s.alt{t}@example.com")),
            format!("saml{t}@example.com"),
        ),
        _ => ghec(format!("nomail{i}"), format!("No Mail {t}"), None, String::new()),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// How many of the first `n` people have a GHES account.
pub fn ghes_users(n: usize) -> usize {
    (0..n.min(20))
        .filter(|i| matches!(i % 20, 0..=10 | 13..=15 | 17))
        .count()
        * (n / 20)
        + (0..n % 20).filter(|i| matches!(i % 20, 0..=10 | 13..=15 | 17)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::report::{Person, analyze};

    #[test]
    fn tags_are_unique_and_alphabetic() {
        let tags: std::collections::HashSet<String> = (0..5000).map(tag).collect();
        assert_eq!(tags.len(), 5000);
        assert!(tags.iter().all(|t| t.chars().all(|c| c.is_ascii_lowercase())));
    }

    #[test]
    fn the_patterns_produce_the_expected_analysis() {
        let n = 2000;
        let people: Vec<Person> = (0..n).map(|i| Person::from(&user(i, "ghes.example.com"))).collect();
        let a = analyze(&people, n as i64, n as i64);
        let groups = n / 20;
        assert_eq!(a.totals.both as usize, 11 * groups);
        assert_eq!(a.suspects.len(), 3 * groups, "name, local part and NameID pairs");
        // Unmatchable: the no-mail GHEC users and the GHES emails on corp.example.
        assert_eq!(a.unmatchable.len(), 2 * groups);
        assert_eq!(ghes_users(n), 15 * groups);
        assert_eq!(ghes_users(25), 15 + (0..5).filter(|i| matches!(i, 0..=4)).count());
    }
}
