//! Topics (议题): a recurring issue turned into a legislative proposal, a supervision topic or an
//! assigned matter, followed to its result.
//!
//! A topic keeps its member records as they were when it was made (whatever later grouping
//! does), the new cases staff accepted or dismissed, and the history of every change with who
//! made it and when. Which records match it, and how the volume moved, are the engine's
//! business; the store only remembers what people decided.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::db::{self, Store, StoreError};

/// What a topic is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TopicKind {
    /// 立法建议.
    Legislation,
    /// 监督议题.
    Supervision,
    /// 交办事项.
    Assignment,
}

/// Where a topic is on its way to a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TopicStatus {
    /// 待研究.
    Proposed,
    /// 已交办.
    Assigned,
    /// 办理中.
    InProgress,
    /// 已办结.
    Done,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $ty {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

text_enum!(TopicKind {
    Legislation = "legislation",
    Supervision = "supervision",
    Assignment = "assignment",
});

text_enum!(TopicStatus {
    Proposed = "proposed",
    Assigned = "assigned",
    InProgress = "in_progress",
    Done = "done",
});

/// How a record belongs to a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Membership {
    /// One of the records the topic was made from, or added by hand.
    Member,
    /// A new case staff accepted as the same matter.
    Accepted,
    /// A new case staff said is not the same matter: never offered again.
    Dismissed,
}

text_enum!(Membership {
    Member = "member",
    Accepted = "accepted",
    Dismissed = "dismissed",
});

/// A topic as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    pub id: i64,
    pub title: String,
    pub kind: TopicKind,
    pub status: TopicStatus,
    pub department: Option<String>,
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
    /// The department's answer.
    pub answer: Option<String>,
    /// What came of it.
    pub outcome: Option<String>,
    /// The issue it was made from, as listed then.
    pub issue_id: Option<String>,
    /// The saved selection it was made from (query, filters, dates), as the API sent it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub selection: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// When it first became `assigned` (the "before" and "after" of its effect).
    pub assigned_at: Option<DateTime<Utc>>,
    pub changed_at: DateTime<Utc>,
}

/// What a new topic starts with.
#[derive(Debug, Clone, Default)]
pub struct NewTopic {
    pub title: String,
    pub kind: Option<TopicKind>,
    pub department: Option<String>,
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
    pub issue_id: Option<String>,
    pub selection: Option<Value>,
    /// Its members.
    pub record_ids: Vec<String>,
}

/// A change to a topic; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TopicChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TopicStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Records to set to a membership (accept or dismiss a candidate, add a member).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<(String, Membership)>,
    /// Records to take out of the topic altogether.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<String>,
}

/// One entry of a topic's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicEvent {
    pub at: DateTime<Utc>,
    pub by: String,
    /// `created` or `changed`, with what changed.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub change: Value,
}

/// Which topics [`Store::topics`] lists.
#[derive(Debug, Clone, Default)]
pub struct TopicFilter {
    pub status: Option<TopicStatus>,
    pub kind: Option<TopicKind>,
    pub department: Option<String>,
}

const TOPIC_COLUMNS: &str = "id, title, kind, status, department, due, note, answer, outcome, \
     issue_id, selection, created_at, created_by, assigned_at, changed_at";

impl Store {
    /// Makes a topic with its members, as `by`, in one transaction.
    pub fn create_topic(&self, new: &NewTopic, by: &str) -> Result<Topic, StoreError> {
        let title = new.title.trim();
        if title.is_empty() {
            return Err(StoreError::InvalidTopic("a topic needs a title".into()));
        }
        let now = Utc::now().timestamp();
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO topics (title, kind, status, department, due, note, issue_id, selection,
                                 created_at, created_by, changed_at)
             VALUES (?1, ?2, 'proposed', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?8)",
            params![
                title,
                new.kind.unwrap_or(TopicKind::Supervision).as_str(),
                new.department,
                new.due.map(|d| d.to_string()),
                new.note,
                new.issue_id,
                new.selection.as_ref().map(Value::to_string),
                now,
                by,
            ],
        )?;
        let id = tx.last_insert_rowid();
        for record in &new.record_ids {
            set_membership(&tx, id, record, Membership::Member, now, by)?;
        }
        let created = serde_json::json!({
            "created": { "title": title, "records": new.record_ids.len() }
        });
        log(&tx, id, now, by, &created)?;
        tx.commit()?;
        self.topic(id)?.ok_or(StoreError::NoSuchTopic(id))
    }

    pub fn topic(&self, id: i64) -> Result<Option<Topic>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {TOPIC_COLUMNS} FROM topics WHERE id = ?1"),
                [id],
                read_topic,
            )
            .optional()?
            .transpose()
    }

    /// The topics `filter` selects, newest first.
    pub fn topics(&self, filter: &TopicFilter) -> Result<Vec<Topic>, StoreError> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {TOPIC_COLUMNS} FROM topics
             WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR kind = ?2)
               AND (?3 IS NULL OR department = ?3)
             ORDER BY created_at DESC, id DESC"
        ))?;
        let rows = statement.query_map(
            params![
                filter.status.map(TopicStatus::as_str),
                filter.kind.map(TopicKind::as_str),
                filter.department
            ],
            read_topic,
        )?;
        rows.map(|row| row?).collect()
    }

    /// The topic's records with how each belongs to it, in the order they were added.
    pub fn topic_records(&self, id: i64) -> Result<Vec<(String, Membership)>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT record_id, membership FROM topic_records WHERE topic_id = ?1
             ORDER BY added_at, rowid",
        )?;
        let rows = statement.query_map([id], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        rows.map(|row| {
            let (record, membership) = row?;
            let membership = Membership::parse(&membership).ok_or(StoreError::Corrupt {
                what: "membership",
                value: membership,
            })?;
            Ok((record, membership))
        })
        .collect()
    }

    /// Applies `change` as `by`, in one transaction, and records it in the history. Becoming
    /// `assigned` for the first time stamps `assigned_at`.
    pub fn change_topic(
        &self,
        id: i64,
        change: &TopicChange,
        by: &str,
    ) -> Result<Topic, StoreError> {
        let now = Utc::now().timestamp();
        let tx = self.conn.unchecked_transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM topics WHERE id = ?1)",
            [id],
            |row| row.get(0),
        )?;
        if !exists {
            return Err(StoreError::NoSuchTopic(id));
        }
        if change.title.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(StoreError::InvalidTopic("a topic needs a title".into()));
        }
        tx.execute(
            "UPDATE topics SET
                 title = COALESCE(?2, title),
                 status = COALESCE(?3, status),
                 department = COALESCE(?4, department),
                 due = COALESCE(?5, due),
                 note = COALESCE(?6, note),
                 answer = COALESCE(?7, answer),
                 outcome = COALESCE(?8, outcome),
                 assigned_at = CASE WHEN assigned_at IS NULL AND ?3 IN ('assigned', 'in_progress', 'done')
                                    THEN ?9 ELSE assigned_at END,
                 changed_at = ?9
             WHERE id = ?1",
            params![
                id,
                change.title.as_deref().map(str::trim),
                change.status.map(TopicStatus::as_str),
                change.department,
                change.due.map(|d| d.to_string()),
                change.note,
                change.answer,
                change.outcome,
                now,
            ],
        )?;
        for (record, membership) in &change.records {
            set_membership(&tx, id, record, *membership, now, by)?;
        }
        for record in &change.removed {
            tx.execute(
                "DELETE FROM topic_records WHERE topic_id = ?1 AND record_id = ?2",
                params![id, record],
            )?;
        }
        let changed = serde_json::json!({ "changed": change });
        log(&tx, id, now, by, &changed)?;
        tx.commit()?;
        self.topic(id)?.ok_or(StoreError::NoSuchTopic(id))
    }

    /// Every change of the topic, oldest first.
    pub fn topic_history(&self, id: i64) -> Result<Vec<TopicEvent>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT at, by, change FROM topic_history WHERE topic_id = ?1 ORDER BY rowid",
        )?;
        let rows = statement.query_map([id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (at, by, change) = row?;
            Ok(TopicEvent {
                at: db::time(at),
                by,
                change: serde_json::from_str(&change).map_err(|_| StoreError::Corrupt {
                    what: "topic history entry",
                    value: change,
                })?,
            })
        })
        .collect()
    }
}

fn set_membership(
    tx: &rusqlite::Transaction<'_>,
    topic: i64,
    record: &str,
    membership: Membership,
    now: i64,
    by: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO topic_records (topic_id, record_id, membership, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (topic_id, record_id) DO UPDATE SET membership = excluded.membership",
        params![topic, record, membership.as_str(), now, by],
    )?;
    Ok(())
}

fn log(
    tx: &rusqlite::Transaction<'_>,
    topic: i64,
    now: i64,
    by: &str,
    change: &Value,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO topic_history (topic_id, at, by, change) VALUES (?1, ?2, ?3, ?4)",
        params![topic, now, by, change.to_string()],
    )?;
    Ok(())
}

fn read_topic(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Topic, StoreError>> {
    let text = |i: usize| row.get::<_, Option<String>>(i);
    let (kind, status): (String, String) = (row.get(2)?, row.get(3)?);
    let due = text(5)?;
    let selection = text(10)?;
    let assigned_at: Option<i64> = row.get(13)?;
    let corrupt = |what: &'static str, value: &str| StoreError::Corrupt {
        what,
        value: value.to_string(),
    };
    let topic = (|| {
        Ok(Topic {
            id: row.get(0)?,
            title: row.get(1)?,
            kind: TopicKind::parse(&kind).ok_or_else(|| corrupt("topic kind", &kind))?,
            status: TopicStatus::parse(&status).ok_or_else(|| corrupt("topic status", &status))?,
            department: text(4)?,
            due: match due {
                Some(d) => Some(d.parse().map_err(|_| corrupt("due date", &d))?),
                None => None,
            },
            note: text(6)?,
            answer: text(7)?,
            outcome: text(8)?,
            issue_id: text(9)?,
            selection: match selection {
                Some(s) => Some(serde_json::from_str(&s).map_err(|_| corrupt("selection", &s))?),
                None => None,
            },
            created_at: db::time(row.get(11)?),
            created_by: row.get(12)?,
            assigned_at: assigned_at.map(db::time),
            changed_at: db::time(row.get(14)?),
        })
    })();
    Ok(topic.map_err(|e: StoreError| e))
}
