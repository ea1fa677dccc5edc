//! Accounts that sign in with a password, hashed with Argon2id.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use crate::access::{Principal, PrincipalKind, Role};
use crate::db::{self, Store, StoreError};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A user as listed; the password hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
    /// Empty: all regions.
    pub regions: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// When the password last changed.
    pub changed_at: DateTime<Utc>,
}

impl Store {
    /// Adds a user. Hashing takes a noticeable fraction of a second, by design.
    pub fn add_user(
        &self,
        name: &str,
        role: Role,
        regions: &[String],
        password: &str,
    ) -> Result<User, StoreError> {
        db::check_name(name)?;
        let regions_json = db::regions_column(regions)?;
        let hash = hash_password(password)?;
        let now = Utc::now().timestamp();
        self.conn
            .execute(
                "INSERT INTO users (name, role, regions, password_hash, created_at, changed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![name, role.as_str(), regions_json, hash, now],
            )
            .map_err(|e| db::on_constraint(e, || StoreError::UserExists(name.to_string())))?;
        Ok(User {
            name: name.to_string(),
            role,
            regions: regions.to_vec(),
            created_at: db::time(now),
            changed_at: db::time(now),
        })
    }

    /// All users, by name.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        self.listed("SELECT name, role, regions, created_at, changed_at FROM users ORDER BY name")
    }

    /// Removes a user and ends their sessions.
    pub fn remove_user(&self, name: &str) -> Result<(), StoreError> {
        if self.delete_named("users", name)? {
            Ok(())
        } else {
            Err(StoreError::NoSuchUser(name.to_string()))
        }
    }

    /// Sets a new password and ends the user's sessions, in one transaction.
    pub fn set_password(&self, name: &str, password: &str) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        let tx = self.conn.unchecked_transaction()?;
        let changed = tx.execute(
            "UPDATE users SET password_hash = ?2, changed_at = ?3 WHERE name = ?1",
            params![name, hash, Utc::now().timestamp()],
        )?;
        if changed == 0 {
            return Err(StoreError::NoSuchUser(name.to_string()));
        }
        tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    /// The user `name` if `password` is theirs. An unknown name costs the same time as a wrong
    /// password, so timing does not tell which names exist.
    pub fn verify_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<Option<Principal>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT role, regions, password_hash FROM users WHERE name = ?1",
                [name],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?;
        let Some((role, regions, hash)) = row else {
            password_matches(password, dummy_hash());
            return Ok(None);
        };
        if !password_matches(password, &hash) {
            return Ok(None);
        }
        db::principal(name.to_string(), PrincipalKind::User, &role, &regions).map(Some)
    }
}

fn hash_password(password: &str) -> Result<String, StoreError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StoreError::WeakPassword {
            min: MIN_PASSWORD_CHARS,
        });
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::PasswordHash(e.to_string()))
}

/// Verification uses the parameters recorded in the hash; argon2 compares in constant time.
fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|hash| {
        Argon2::default()
            .verify_password(password.as_bytes(), &hash)
            .is_ok()
    })
}

/// A hash of a random password, verified against when the user does not exist.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        hash_password(&crate::secret::generate("")).expect("hashing a random password works")
    })
}
