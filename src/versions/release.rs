//! GHES release numbers (`3.10`) and installed versions (`3.10.4`).

use std::fmt;
use std::str::FromStr;

/// A GitHub Enterprise Server feature release, `major.minor`, ordered numerically
/// per component (so `3.10 > 3.9`).
///
/// ```
/// use docgate::versions::Release;
/// let a: Release = "3.10".parse().unwrap();
/// let b: Release = "3.9".parse().unwrap();
/// assert!(a > b);
/// assert_eq!(a.to_string(), "3.10");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Release {
    /// The major number (`3` in `3.10`).
    pub major: u16,
    /// The minor number (`10` in `3.10`).
    pub minor: u16,
}

impl Release {
    /// The release `major.minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        Release { major, minor }
    }

    /// The release as a semver version (`3.10` → `3.10.0`), the way the reference
    /// engine coerces releases before comparing them.
    pub fn to_semver(self) -> semver::Version {
        semver::Version::new(u64::from(self.major), u64::from(self.minor), 0)
    }

    /// Parses `3.5` or an installed version such as `3.5.2` (the patch is ignored).
    pub fn parse_installed(s: &str) -> Result<Release, ReleaseParseError> {
        let s = s.trim();
        let mut parts = s.split('.');
        let (Some(major), Some(minor)) = (parts.next(), parts.next()) else {
            return Err(ReleaseParseError(s.to_string()));
        };
        if let Some(patch) = parts.next()
            && (patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(ReleaseParseError(s.to_string()));
        }
        if parts.next().is_some() {
            return Err(ReleaseParseError(s.to_string()));
        }
        Ok(Release {
            major: parse_component(major).ok_or_else(|| ReleaseParseError(s.to_string()))?,
            minor: parse_component(minor).ok_or_else(|| ReleaseParseError(s.to_string()))?,
        })
    }
}

fn parse_component(s: &str) -> Option<u16> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl FromStr for Release {
    type Err = ReleaseParseError;

    /// Parses exactly `major.minor`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (major, minor) = s.split_once('.').ok_or_else(|| ReleaseParseError(s.into()))?;
        Ok(Release {
            major: parse_component(major).ok_or_else(|| ReleaseParseError(s.into()))?,
            minor: parse_component(minor).ok_or_else(|| ReleaseParseError(s.into()))?,
        })
    }
}

impl Release {
    /// Appends `major.minor` to `out` (what `Display` writes).
    pub fn push_to(self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = self.write_to(out);
    }

    /// Whether `s` is this release as `Display` writes it (without writing it:
    /// version conditions ask for every release they compare).
    pub(crate) fn is_written_as(self, s: &str) -> bool {
        let (mut a, mut b) = ([0u8; 5], [0u8; 5]);
        let (major, minor) = (digits(self.major, &mut a), digits(self.minor, &mut b));
        s.len() == major.len() + 1 + minor.len()
            && s.starts_with(major)
            && s.as_bytes()[major.len()] == b'.'
            && s.ends_with(minor)
    }

    /// Writes `major.minor` piece by piece, without the formatting machinery
    /// (site paths are built by the million).
    pub(crate) fn write_to(self, out: &mut impl fmt::Write) -> fmt::Result {
        let mut buf = [0u8; 5];
        out.write_str(digits(self.major, &mut buf))?;
        out.write_char('.')?;
        out.write_str(digits(self.minor, &mut buf))
    }
}

/// The decimal digits of `n`, written into the end of `buf`.
fn digits(mut n: u16, buf: &mut [u8; 5]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits only.
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}

/// `s` is not a release number like `3.5` (or `3.5.2` where a patch is allowed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a GHES release number (expected MAJOR.MINOR such as 3.5)")]
pub struct ReleaseParseError(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_without_the_formatter() {
        for (major, minor, text) in [
            (3, 10, "3.10"),
            (0, 0, "0.0"),
            (12, 105, "12.105"),
            (65535, 9, "65535.9"),
        ] {
            assert_eq!(Release::new(major, minor).to_string(), text);
            let mut s = String::from("x");
            Release::new(major, minor).push_to(&mut s);
            assert_eq!(s, format!("x{text}"));
            assert!(Release::new(major, minor).is_written_as(text));
        }
        let r = Release::new(3, 10);
        for other in [
            "3.1", "3.100", "03.10", "3.10.0", "3,10", "310", "", "3.", ".10", "4.10",
        ] {
            assert!(!r.is_written_as(other), "{other}");
        }
    }

    #[test]
    fn numeric_order_per_component() {
        let mut v: Vec<Release> = ["3.9", "3.10", "2.22", "3.1", "3.0"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        v.sort();
        let s: Vec<String> = v.iter().map(|r| r.to_string()).collect();
        assert_eq!(s, ["2.22", "3.0", "3.1", "3.9", "3.10"]);
    }

    #[test]
    fn installed_versions_drop_the_patch() {
        assert_eq!(Release::parse_installed("3.5.2").unwrap(), Release::new(3, 5));
        assert_eq!(Release::parse_installed("3.16").unwrap(), Release::new(3, 16));
        assert!(Release::parse_installed("3").is_err());
        assert!(Release::parse_installed("3.x").is_err());
        assert!(Release::parse_installed("3.5.2.1").is_err());
        assert!("3.5.2".parse::<Release>().is_err());
        assert!("".parse::<Release>().is_err());
    }
}
