//! Tokens for other systems: a secret shown once, stored only as its SHA-256.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::access::{Principal, PrincipalKind, Role};
use crate::db::{self, Store, StoreError};
use crate::secret;

/// What every token secret starts with, so that leaked ones are easy to recognise.
pub const TOKEN_PREFIX: &str = "minyi_";

/// A token as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub name: String,
    pub role: Role,
    /// Empty: all regions.
    pub regions: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// A token just added, with its secret: the only time the secret is available.
#[derive(Debug)]
pub struct NewToken {
    pub token: Token,
    pub secret: String,
}

impl Store {
    pub fn add_token(
        &self,
        name: &str,
        role: Role,
        regions: &[String],
    ) -> Result<NewToken, StoreError> {
        db::check_name(name)?;
        let regions_json = db::regions_column(regions)?;
        let secret = secret::generate(TOKEN_PREFIX);
        let now = Utc::now().timestamp();
        self.conn
            .execute(
                "INSERT INTO tokens (name, role, regions, secret_hash, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    name,
                    role.as_str(),
                    regions_json,
                    secret::digest(&secret),
                    now
                ],
            )
            .map_err(|e| db::on_constraint(e, || StoreError::TokenExists(name.to_string())))?;
        Ok(NewToken {
            token: Token {
                name: name.to_string(),
                role,
                regions: regions.to_vec(),
                created_at: db::time(now),
            },
            secret,
        })
    }

    /// All tokens, by name.
    pub fn tokens(&self) -> Result<Vec<Token>, StoreError> {
        let rows = self.listed(
            "SELECT name, role, regions, created_at, created_at FROM tokens ORDER BY name",
        )?;
        Ok(rows
            .into_iter()
            .map(|row| Token {
                name: row.name,
                role: row.role,
                regions: row.regions,
                created_at: row.created_at,
            })
            .collect())
    }

    /// Revokes a token: its next use is refused, in every process using this store.
    pub fn revoke_token(&self, name: &str) -> Result<(), StoreError> {
        if self.delete_named("tokens", name)? {
            Ok(())
        } else {
            Err(StoreError::NoSuchToken(name.to_string()))
        }
    }

    /// The principal of a presented token secret, if it is a current token.
    pub fn token_principal(&self, presented: &str) -> Result<Option<Principal>, StoreError> {
        let digest = secret::digest(presented);
        let row = self
            .conn
            .query_row(
                "SELECT name, role, regions, secret_hash FROM tokens WHERE secret_hash = ?1",
                [&digest],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Vec<u8>>(3)?,
                    ))
                },
            )
            .optional()?;
        match row {
            Some((name, role, regions, stored)) if secret::same(&stored, &digest) => {
                db::principal(name, PrincipalKind::Token, &role, &regions).map(Some)
            }
            _ => Ok(None),
        }
    }
}
