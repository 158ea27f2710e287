//! Injectable faults: `KIND[@ROUTE][*COUNT]`, e.g. `503*2`, `429@status`,
//! `403-ratelimit`, `slow=1500@report`, `reset@meta*1`, `malformed@status`,
//! `truncated@report`. Routes: meta, license, status, report (default: any).

use std::fmt;

use crate::error::Error;

/// What goes wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// An HTTP 5xx status.
    Status(u16),
    /// 429 with `Retry-After: 1`.
    TooManyRequests,
    /// 403 with `x-ratelimit-remaining: 0` and a reset one second away.
    RateLimited,
    /// The response is delayed by this many milliseconds.
    Slow(u64),
    /// The connection breaks before the body is complete.
    Reset,
    /// 200 with a body that is not JSON.
    Malformed,
    /// 200 with the first half of the JSON.
    Truncated,
}

/// The endpoints a fault can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// GHES `GET /api/v3/meta` (`meta`).
    Meta,
    /// GHES `GET /api/v3/enterprise/settings/license` (`license`).
    License,
    /// GHEC `license-sync-status` (`status`).
    Status,
    /// GHEC `consumed-licenses` (`report`).
    Report,
}

impl Route {
    fn parse(s: &str) -> Option<Route> {
        Some(match s {
            "meta" => Route::Meta,
            "license" => Route::License,
            "status" => Route::Status,
            "report" | "consumed-licenses" => Route::Report,
            _ => return None,
        })
    }
}

/// A fault and how many more requests it affects (`None`: all of them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// What goes wrong.
    pub kind: FaultKind,
    /// The endpoint it targets (`None`: any).
    pub route: Option<Route>,
    /// How many more requests it affects (`None`: all of them).
    pub remaining: Option<u32>,
}

impl Fault {
    /// Parses `KIND[@ROUTE][*COUNT]`.
    pub fn parse(spec: &str) -> Result<Fault, Error> {
        let bad = |why: &str| {
            Error::usage(format!("fault `{spec}`: {why}")).with_help(
                "faults: 500|502|503, 429, 403-ratelimit, slow=MS, reset, malformed, truncated; \
                 optional @meta|@license|@status|@report and *COUNT",
            )
        };
        let (rest, count) = match spec.rsplit_once('*') {
            Some((r, c)) => (r, Some(c.parse::<u32>().map_err(|_| bad("COUNT is not a number"))?)),
            None => (spec, None),
        };
        let (kind, route) = match rest.split_once('@') {
            Some((k, r)) => (k, Some(Route::parse(r).ok_or_else(|| bad("unknown route"))?)),
            None => (rest, None),
        };
        let kind = match kind {
            "429" => FaultKind::TooManyRequests,
            "403-ratelimit" => FaultKind::RateLimited,
            "reset" => FaultKind::Reset,
            "malformed" => FaultKind::Malformed,
            "truncated" => FaultKind::Truncated,
            "5xx" => FaultKind::Status(503),
            k if k.starts_with("slow=") => FaultKind::Slow(k[5..].parse().map_err(|_| bad("slow=MS needs a number"))?),
            k => match k.parse::<u16>() {
                Ok(code) if (500..=599).contains(&code) => FaultKind::Status(code),
                _ => return Err(bad("unknown fault")),
            },
        };
        Ok(Fault {
            kind,
            route,
            remaining: count,
        })
    }

    /// Whether the fault applies to `route`; uses one of its counts when it does.
    pub fn take(&mut self, route: Route) -> bool {
        if self.route.is_some_and(|r| r != route) || self.remaining == Some(0) {
            return false;
        }
        if let Some(n) = &mut self.remaining {
            *n -= 1;
        }
        true
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.kind)?;
        if let Some(r) = self.route {
            write!(f, "@{r:?}")?;
        }
        if let Some(n) = self.remaining {
            write!(f, "*{n}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        let f = Fault::parse("503@status*2").unwrap();
        assert_eq!(f.kind, FaultKind::Status(503));
        assert_eq!(f.route, Some(Route::Status));
        let mut f = f;
        assert!(!f.take(Route::Meta));
        assert!(f.take(Route::Status) && f.take(Route::Status) && !f.take(Route::Status));
        assert_eq!(Fault::parse("slow=250").unwrap().kind, FaultKind::Slow(250));
        assert_eq!(Fault::parse("403-ratelimit").unwrap().kind, FaultKind::RateLimited);
        for bad in ["404", "slow=x", "reset@nowhere", "500*x", "boom"] {
            assert!(Fault::parse(bad).is_err(), "{bad}");
        }
    }
}
