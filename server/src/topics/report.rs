//! Topics as files, in the 问题清单 / 满意清单 format: one topic as a Markdown report, the list as
//! CSV. Matter, scale, department, status, answer, outcome, effect and representative quotes.

use std::fmt::Write;

use minyi_engine::issues::export::{cell, quote};
use minyi_engine::{Engine, Viewer};
use minyi_store::topics::{TopicKind, TopicStatus};

use super::{TopicError, TopicView};

/// Member records quoted in a report.
const QUOTES: usize = 3;

pub fn kind_label(kind: TopicKind) -> &'static str {
    match kind {
        TopicKind::Legislation => "立法建议",
        TopicKind::Supervision => "监督议题",
        TopicKind::Assignment => "交办事项",
    }
}

pub fn status_label(status: TopicStatus) -> &'static str {
    match status {
        TopicStatus::Proposed => "待研究",
        TopicStatus::Assigned => "已交办",
        TopicStatus::InProgress => "办理中",
        TopicStatus::Done => "已办结",
    }
}

/// The effect in a sentence, or why there is none yet.
fn effect(view: &TopicView) -> String {
    match &view.trend {
        Some(trend) => trend.summary.clone(),
        None => "尚未交办".into(),
    }
}

/// One topic as a Markdown report, its quotes read as `viewer` may see them.
pub fn markdown(engine: &Engine, view: &TopicView, viewer: &Viewer) -> Result<String, TopicError> {
    let topic = &view.topic;
    let mut out = String::new();
    let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "—".into());
    let _ = writeln!(out, "# {}\n", topic.title);
    let _ = writeln!(out, "| 项目 | 内容 |\n|---|---|");
    let rows = [
        ("类型", kind_label(topic.kind).to_string()),
        ("状态", status_label(topic.status).to_string()),
        ("责任部门", text(&topic.department)),
        (
            "办理期限",
            topic.due.map(|d| d.to_string()).unwrap_or("—".into()),
        ),
        (
            "规模",
            format!(
                "{} 件（其中新增采纳 {} 件），待甄别新案 {} 件",
                view.record_ids.len(),
                view.accepted.len(),
                view.total_candidates
            ),
        ),
        ("部门答复", text(&topic.answer)),
        ("办理结果", text(&topic.outcome)),
        ("成效", effect(view)),
        ("备注", text(&topic.note)),
    ];
    for (name, value) in rows {
        let _ = writeln!(out, "| {name} | {} |", cell(&value));
    }
    let _ = writeln!(out, "\n## 代表性诉求\n");
    for id in view.record_ids.iter().take(QUOTES) {
        if let Some(record) = engine.record(id, viewer)? {
            let _ = writeln!(out, "- {}", quote(&record));
        }
    }
    let _ = writeln!(out, "\n## 办理记录\n");
    for event in &view.history {
        let _ = writeln!(
            out,
            "- {} {}：{}",
            event.at.format("%Y-%m-%d %H:%M"),
            event.by,
            event.change
        );
    }
    Ok(out)
}

/// The topic list as CSV (UTF-8 with a byte-order mark, for Excel), one row per topic.
pub fn csv(views: &[TopicView]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "编号",
        "议题",
        "类型",
        "状态",
        "责任部门",
        "办理期限",
        "件数",
        "待甄别新案",
        "创建",
        "交办",
        "部门答复",
        "办理结果",
        "成效",
        "记录编号",
    ])
    .expect("writing to memory");
    for view in views {
        let t = &view.topic;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        w.write_record([
            t.id.to_string(),
            t.title.clone(),
            kind_label(t.kind).into(),
            status_label(t.status).into(),
            text(&t.department),
            t.due.map(|d| d.to_string()).unwrap_or_default(),
            view.record_ids.len().to_string(),
            view.total_candidates.to_string(),
            t.created_at.date_naive().to_string(),
            t.assigned_at
                .map(|d| d.date_naive().to_string())
                .unwrap_or_default(),
            text(&t.answer),
            text(&t.outcome),
            effect(view),
            view.record_ids.join(" "),
        ])
        .expect("writing to memory");
    }
    let bytes = w.into_inner().expect("writing to memory");
    format!(
        "\u{feff}{}",
        String::from_utf8(bytes).expect("UTF-8 in, UTF-8 out")
    )
}
