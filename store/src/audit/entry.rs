//! What an audit entry says.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::access::{Principal, PrincipalKind, Role};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user or token name; for a failed sign-in, the name that was tried.
    pub name: String,
    pub kind: ActorKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The client's address, for requests over HTTP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    User,
    Token,
    /// The `minyi` command on the machine (name: the operating-system user).
    Cli,
    /// A request without valid credentials.
    Anonymous,
}

impl Actor {
    /// The actor of a request made as `principal` from `address`.
    pub fn principal(principal: &Principal, address: Option<String>) -> Actor {
        Actor {
            name: principal.name.clone(),
            kind: match principal.kind {
                PrincipalKind::User => ActorKind::User,
                PrincipalKind::Token => ActorKind::Token,
            },
            role: Some(principal.role),
            address,
        }
    }
}

/// What to record; [`super::AuditLog::append`] adds the time and the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent {
    pub who: Actor,
    /// What was done, e.g. `search`, `record.read`, `export`, `import`, `delete`, `login`,
    /// `user.add`, `token.revoke`.
    pub action: String,
    /// The particulars: query text, record ids returned or read, counts …
    pub details: Value,
    /// How it ended, e.g. `ok`, `denied`, `failed`, or an HTTP status.
    pub result: String,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1 for the first entry of the log, then one more for each.
    pub seq: u64,
    /// RFC 3339 with the local offset.
    pub at: DateTime<FixedOffset>,
    pub who: Actor,
    pub action: String,
    pub details: Value,
    pub result: String,
    /// The hash of the entry before (64 zeros for the first).
    pub prev: String,
    /// SHA-256 (hex) of this line up to, not including, `,"hash":…`, with `}` appended.
    pub hash: String,
}
