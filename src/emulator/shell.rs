//! `docgate emulate shell`: an ssh stand-in for the GHES administrative shell.
//! Pass it as the runner's `--ssh`; it reads ssh's arguments
//! (`-p 122 admin@HOST COMMAND…`) and answers the license-usage command of the
//! emulated release, and "command not found" for the other one.

use crate::versions::Release;

/// What the shell printed and its exit status.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    /// What the shell printed on stdout.
    pub stdout: String,
    /// What the shell printed on stderr.
    pub stderr: String,
    /// The exit status.
    pub status: i32,
}

/// Splits ssh arguments into the destination and the remote command.
fn split_ssh_args(args: &[String]) -> (Option<&str>, Vec<&str>) {
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if matches!(a, "-p" | "-o" | "-i" | "-l" | "-F" | "-J") {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let dest = args.get(i).map(String::as_str);
    let rest: Vec<&str> = args.iter().skip(i + 1).flat_map(|a| a.split_whitespace()).collect();
    (dest, rest)
}

fn usage_json(version: &str, release: Release, host: &str, users: usize) -> String {
    let mut doc = serde_json::json!({
        "host_name": host,
        "http_only": false,
        "version": version,
        "server_id": "b6a4b0c2-3c7e-4f61-9d52-1f1e2a9d0e01",
        "license": "6f1ed002ab5595859014ebf0951522d9",
        "public_key": "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAemulated\n-----END PUBLIC KEY-----",
        "features": [{"name": "license_usage_sync", "enabled_at": "2026-01-05T09:30:00Z"}],
        "user_count": super::users::ghes_users(users),
        "users": "ZW11bGF0ZWQtZW5jcnlwdGVkLXVzZXItbGlzdA==",
    });
    if release >= Release::new(3, 12) {
        doc["advanced_security_user_count"] = serde_json::json!(super::users::ghes_users(users) / 4);
    }
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Answers one ssh invocation for a GHES `version`.
pub fn answer(version: &str, users: usize, args: &[String]) -> Answer {
    let release = Release::parse_installed(version).unwrap_or(Release::new(3, 22));
    let (dest, command) = split_ssh_args(args);
    let host = dest.map_or("localhost", |d| d.rsplit('@').next().unwrap_or(d));
    let not_found = |cmd: &str| Answer {
        stdout: String::new(),
        stderr: format!("bash: {cmd}: command not found\n"),
        status: 127,
    };
    let new_utility = release >= Release::new(3, 13);
    match command.as_slice() {
        [] => Answer {
            stdout: String::new(),
            stderr: "Pseudo-terminal will not be allocated; the emulated shell runs one command.\n".into(),
            status: 255,
        },
        ["ghe-license-usage", ..] if new_utility => not_found("ghe-license-usage"),
        ["ghe-license-usage", flag, ..] if *flag == "-h" || *flag == "--help" => Answer {
            stdout: "Usage: ghe-license-usage [-h] [-u]\n  -u  unencrypted user list\n".into(),
            stderr: String::new(),
            status: 0,
        },
        ["ghe-license-usage", ..] => Answer {
            stdout: usage_json(version, release, host, users),
            stderr: String::new(),
            status: 0,
        },
        ["ghe-license", ..] if !new_utility => not_found("ghe-license"),
        ["ghe-license", "usage", ..] => Answer {
            stdout: usage_json(version, release, host, users),
            stderr: String::new(),
            status: 0,
        },
        ["ghe-license", "check", ..] => Answer {
            stdout: "License is valid.\n".into(),
            stderr: String::new(),
            status: 0,
        },
        ["ghe-license", ..] => Answer {
            stdout: "Usage: ghe-license [info|check|import|usage] [-j]\n".into(),
            stderr: String::new(),
            status: 0,
        },
        [other, ..] => not_found(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn the_release_decides_the_command() {
        let a = answer("3.12.4", 40, &args("-p 122 admin@ghes.example.com ghe-license-usage"));
        assert_eq!(a.status, 0);
        let v: serde_json::Value = serde_json::from_str(&a.stdout).unwrap();
        assert_eq!(v["version"], "3.12.4");
        assert_eq!(v["host_name"], "ghes.example.com");
        assert!(v.get("advanced_security_user_count").is_some());
        assert_eq!(
            answer("3.12.4", 40, &args("-p 122 admin@h ghe-license usage")).status,
            127
        );
        assert_eq!(
            answer("3.13.0", 40, &args("-p 122 admin@h ghe-license-usage")).status,
            127
        );
        let b = answer("3.13.0", 40, &args("-p 122 admin@h ghe-license usage"));
        assert_eq!(b.status, 0);
        assert!(b.stdout.contains("\"version\": \"3.13.0\""));
        assert!(
            answer("3.13.0", 40, &args("-p 122 admin@h rm -rf /"))
                .stderr
                .contains("command not found")
        );
    }
}
