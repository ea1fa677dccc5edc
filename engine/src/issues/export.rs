//! The issue list as files: CSV for spreadsheets, Markdown for a readable report (问题清单).

use std::fmt::Write;

use super::IssueList;

/// One row per issue; ids of member records separated by spaces. UTF-8 with a byte-order mark,
/// so that Excel on a Chinese Windows desktop opens it with the right encoding.
pub fn csv(list: &IssueList) -> String {
    let mut out = String::from("\u{feff}");
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "排名",
        "编号",
        "问题",
        "件数",
        "人数",
        "重复来信人",
        "近似重复",
        "区县",
        "联系点",
        "首次",
        "最近",
        "近30天",
        "前30天",
        "增长",
        "突增周",
        "点赞",
        "热度",
        "代表性诉求",
        "记录编号",
    ];
    w.write_record(header).expect("writing to memory");
    for (rank, i) in list.issues.iter().enumerate() {
        let spread = |c: &[crate::search::FacetCount]| {
            c.iter()
                .map(|f| format!("{}({})", f.value, f.count))
                .collect::<Vec<_>>()
                .join("、")
        };
        w.write_record([
            (rank + 1).to_string(),
            i.id.clone(),
            i.label.clone(),
            i.size.to_string(),
            i.submitters.to_string(),
            i.repeat_submitters.len().to_string(),
            i.duplicates.to_string(),
            spread(&i.regions),
            spread(&i.sites),
            i.first_at.map(|d| d.date().to_string()).unwrap_or_default(),
            i.last_at.map(|d| d.date().to_string()).unwrap_or_default(),
            i.recent.to_string(),
            i.previous.to_string(),
            format!("{:+.0}%", i.growth * 100.0),
            i.spike.as_ref().map(|s| s.week.clone()).unwrap_or_default(),
            i.likes.to_string(),
            format!("{:.2}", i.heat),
            quote(&i.representative),
            i.record_ids.join(" "),
        ])
        .expect("writing to memory");
    }
    out.push_str(
        &String::from_utf8(w.into_inner().expect("flushing memory"))
            .expect("CSV of UTF-8 strings is UTF-8"),
    );
    out
}

/// One line an issue, for a terminal: rank, size, submitters, span, growth, label.
pub fn table(list: &IssueList) -> String {
    let mut out = format!(
        "{} records, {} in {} issues (as of {})\n",
        list.total_records,
        list.grouped_records,
        list.total_issues,
        list.as_of
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into())
    );
    for (rank, i) in list.issues.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>3}. {:>4} 件 {:>4} 人  {}  {:<16} {}  [{}]",
            rank + 1,
            i.size,
            i.submitters,
            span(i),
            trend(i),
            i.label,
            i.id
        );
    }
    out
}

/// A report staff can read and forward: a summary table, then each issue with its quotes.
pub fn markdown(list: &IssueList, title: &str) -> String {
    let mut out = String::new();
    let as_of = list
        .as_of
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(
        out,
        "统计截至 {as_of}；共 {} 件，其中 {} 件归入 {} 个问题。\n",
        list.total_records, list.grouped_records, list.total_issues
    );
    if !list.category_spikes.is_empty() {
        let _ = writeln!(out, "**突增提示：**");
        for s in &list.category_spikes {
            let _ = writeln!(
                out,
                "- {}：{} 周 {} 件（此前周均 {:.1} 件）",
                s.category, s.spike.week, s.spike.count, s.spike.baseline
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "| 排名 | 问题 | 件数 | 人数 | 区县 | 时间跨度 | 近30天 | 趋势 |\n| ---: | --- | ---: | ---: | --- | --- | ---: | --- |"
    );
    for (rank, i) in list.issues.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            rank + 1,
            cell(&i.label),
            i.size,
            i.submitters,
            cell(
                &i.regions
                    .iter()
                    .map(|r| r.value.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            span(i),
            i.recent,
            trend(i)
        );
    }
    for (rank, i) in list.issues.iter().enumerate() {
        let _ = writeln!(out, "\n## {}. {}\n", rank + 1, i.label);
        let _ = writeln!(
            out,
            "- 编号 {}；{} 件，{} 人（重复来信 {} 人，近似重复 {} 件）；点赞 {}；热度 {:.2}",
            i.id,
            i.size,
            i.submitters,
            i.repeat_submitters.len(),
            i.duplicates,
            i.likes,
            i.heat
        );
        let _ = writeln!(
            out,
            "- 时间：{}；近30天 {} 件，前30天 {} 件；{}",
            span(i),
            i.recent,
            i.previous,
            trend(i)
        );
        let spread: Vec<String> = i
            .regions
            .iter()
            .chain(&i.sites)
            .map(|f| format!("{} {}", f.value, f.count))
            .collect();
        let _ = writeln!(out, "- 分布：{}", spread.join("，"));
        let _ = writeln!(out, "- 关键词：{}", i.keywords.join("、"));
        let _ = writeln!(out, "\n> {}\n", quote(&i.representative));
        if let Some(reply) = i.replies.first() {
            let _ = writeln!(
                out,
                "最近答复（{}）：{}\n",
                reply.id,
                excerpt(&reply.reply, 120)
            );
        }
        let _ = writeln!(out, "记录：{}", i.record_ids.join("、"));
    }
    out
}

fn span(i: &super::Issue) -> String {
    match (i.first_at, i.last_at) {
        (Some(a), Some(b)) => format!("{} 至 {}", a.date(), b.date()),
        _ => "—".into(),
    }
}

fn trend(i: &super::Issue) -> String {
    let mut t = format!("{:+.0}%", i.growth * 100.0);
    if let Some(s) = &i.spike {
        let _ = write!(t, "，{} 突增", s.week);
    }
    t
}

/// A record as the lists quote it: the start of its text, and its id.
pub fn quote(r: &minyi_corpus::Record) -> String {
    let text = minyi_corpus::normalize::normalize(&r.content);
    format!("{}（{}）", excerpt(&text, 100), r.id)
}

fn excerpt(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Markdown table cells cannot hold `|` or line breaks.
pub fn cell(text: &str) -> String {
    text.replace('|', "／").replace('\n', " ")
}
