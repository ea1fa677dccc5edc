//! Roles, rights and principals.
//!
//! A request acts as a [`Principal`]: a signed-in user or a token, with one [`Role`] and a
//! district scope. A role grants a fixed set of [`Right`]s; the scope limits which records any
//! right applies to.

use serde::{Deserialize, Serialize};

/// What a principal is allowed to do, as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including accounts, tokens and deletes.
    Admin,
    /// Everything an analyst may, with personal data unmasked; imports; topics. No deletes, no
    /// accounts, no audit log.
    Staff,
    /// Reads in scope with personal data masked; issues, reports and exports.
    Analyst,
}

/// One thing a request may need to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Right {
    /// Search, read records, similar cases, suggestions, the law view (always within scope).
    Read,
    /// See personal data unmasked (ID, phone and card numbers, e-mail, the submitter).
    PersonalData,
    /// The recurring-issue views.
    Issues,
    /// Reports.
    Reports,
    /// CSV and Markdown exports.
    Export,
    /// Topics.
    Topics,
    /// Add records.
    Import,
    /// Delete records.
    Delete,
    /// Manage users and tokens.
    Accounts,
    /// Read and verify the audit log.
    Audit,
}

impl Right {
    pub const ALL: [Right; 10] = [
        Right::Read,
        Right::PersonalData,
        Right::Issues,
        Right::Reports,
        Right::Export,
        Right::Topics,
        Right::Import,
        Right::Delete,
        Right::Accounts,
        Right::Audit,
    ];
}

impl Right {
    /// The name the API gives the right (`GET /api/me` lists a principal's rights).
    pub fn as_str(self) -> &'static str {
        match self {
            Right::Read => "read",
            Right::PersonalData => "personal_data",
            Right::Issues => "issues",
            Right::Reports => "reports",
            Right::Export => "export",
            Right::Topics => "topics",
            Right::Import => "import",
            Right::Delete => "delete",
            Right::Accounts => "accounts",
            Right::Audit => "audit",
        }
    }
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Staff, Role::Analyst];

    /// The rights of the role.
    pub fn rights(self) -> &'static [Right] {
        use Right::*;
        match self {
            Role::Admin => &Right::ALL,
            Role::Staff => &[Read, PersonalData, Issues, Reports, Export, Topics, Import],
            Role::Analyst => &[Read, Issues, Reports, Export],
        }
    }

    pub fn has(self, right: Right) -> bool {
        self.rights().contains(&right)
    }

    /// The name used on the command line, in the store and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a principal signed in with a password or presented a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrincipalKind {
    User,
    Token,
}

/// Who a request acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub name: String,
    pub kind: PrincipalKind,
    pub role: Role,
    /// The districts whose records it may see; empty means all of them.
    pub regions: Vec<String>,
}

impl Principal {
    pub fn can(&self, right: Right) -> bool {
        self.role.has(right)
    }

    /// Whether answers for this principal must have personal data masked.
    pub fn masked(&self) -> bool {
        !self.can(Right::PersonalData)
    }

    /// Whether the scope covers every region.
    pub fn unscoped(&self) -> bool {
        self.regions.is_empty()
    }

    /// Whether a record of `region` is in scope. A record without a region is visible only to
    /// principals without a scope: nobody can say which district it belongs to.
    pub fn sees_region(&self, region: Option<&str>) -> bool {
        self.unscoped() || region.is_some_and(|r| self.regions.iter().any(|s| s == r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, regions: &[&str]) -> Principal {
        Principal {
            name: "p".into(),
            kind: PrincipalKind::User,
            role,
            regions: regions.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn roles_grant_what_the_issue_lists() {
        let granted = |role: Role| -> Vec<Right> {
            Right::ALL.into_iter().filter(|&r| role.has(r)).collect()
        };
        assert_eq!(granted(Role::Admin), Right::ALL);
        assert_eq!(
            granted(Role::Staff),
            [
                Right::Read,
                Right::PersonalData,
                Right::Issues,
                Right::Reports,
                Right::Export,
                Right::Topics,
                Right::Import
            ]
        );
        assert_eq!(
            granted(Role::Analyst),
            [Right::Read, Right::Issues, Right::Reports, Right::Export]
        );
        for role in [Role::Staff, Role::Analyst] {
            for right in [Right::Delete, Right::Accounts, Right::Audit] {
                assert!(!role.has(right), "{role} must not have {right:?}");
            }
        }
        assert!(principal(Role::Analyst, &[]).masked());
        assert!(!principal(Role::Staff, &[]).masked());
        assert!(!principal(Role::Admin, &[]).masked());
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::json!(role.as_str())
            );
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Admin"), None);
    }

    #[test]
    fn scope_limits_regions_and_hides_records_without_one() {
        let scoped = principal(Role::Staff, &["青山区", "江南区"]);
        assert!(scoped.sees_region(Some("青山区")));
        assert!(!scoped.sees_region(Some("城北区")));
        assert!(!scoped.sees_region(None));
        let everywhere = principal(Role::Analyst, &[]);
        assert!(everywhere.sees_region(Some("城北区")));
        assert!(everywhere.sees_region(None));
    }
}
