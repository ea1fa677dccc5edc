//! Sign-in sessions: a random id in the cookie, its SHA-256 in the store, an expiry.
//!
//! A session carries no role of its own: each lookup reads the user's current role and regions,
//! so a change or removal takes effect on the next request.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, params};

use crate::access::{Principal, PrincipalKind};
use crate::db::{self, Store, StoreError};
use crate::secret;

/// A session just created; `id` goes into the cookie and is not stored.
#[derive(Debug)]
pub struct NewSession {
    pub id: String,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Starts a session for an existing user, valid for `lifetime` from `now`.
    pub fn create_session(
        &self,
        user: &str,
        now: DateTime<Utc>,
        lifetime: TimeDelta,
    ) -> Result<NewSession, StoreError> {
        let id = secret::generate("");
        let expires_at = now + lifetime;
        self.conn
            .execute(
                "INSERT INTO sessions (id_hash, user, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    secret::digest(&id),
                    user,
                    now.timestamp(),
                    expires_at.timestamp()
                ],
            )
            .map_err(|e| db::on_constraint(e, || StoreError::NoSuchUser(user.to_string())))?;
        Ok(NewSession { id, expires_at })
    }

    /// The user of a session that exists and has not expired at `now`.
    pub fn session_principal(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Principal>, StoreError> {
        let digest = secret::digest(id);
        let row = self
            .conn
            .query_row(
                "SELECT s.id_hash, u.name, u.role, u.regions
                 FROM sessions s JOIN users u ON u.name = s.user
                 WHERE s.id_hash = ?1 AND s.expires_at > ?2",
                params![&digest, now.timestamp()],
                |row| {
                    Ok((
                        row.get::<_, Vec<u8>>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        match row {
            Some((stored, name, role, regions)) if secret::same(&stored, &digest) => {
                db::principal(name, PrincipalKind::User, &role, &regions).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Ends a session (sign-out); false when there was none.
    pub fn delete_session(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM sessions WHERE id_hash = ?1",
            [secret::digest(id)],
        )? > 0)
    }

    /// Deletes the sessions expired at `now`; returns how many.
    pub fn expire_sessions(&self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM sessions WHERE expires_at <= ?1",
            [now.timestamp()],
        )?)
    }
}
