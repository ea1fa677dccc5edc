//! Which input column or key feeds which record field.
//!
//! Offices export with their own headers (`留言编号`, `来信人`, `所属区县` …). The built-in aliases
//! cover the common ones; [`FieldMapping::with_override`] covers the rest (`--map 来信人=submitter`).

use std::collections::HashMap;

/// The record fields an input column can map to.
pub const FIELDS: &[&str] = &[
    "id",
    "title",
    "content",
    "kind",
    "channel",
    "site",
    "region",
    "submitted_at",
    "law",
    "article",
    "category",
    "status",
    "submitter",
    "likes",
    "reply",
];

/// Built-in header aliases, by field. Matching ignores ASCII case and surrounding whitespace.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "id",
        &[
            "id",
            "编号",
            "留言编号",
            "信访编号",
            "工单编号",
            "工单号",
            "建议编号",
            "意见编号",
            "序号",
        ],
    ),
    (
        "title",
        &[
            "title",
            "subject",
            "标题",
            "主题",
            "留言主题",
            "信访事项",
            "建议题目",
            "工单标题",
        ],
    ),
    (
        "content",
        &[
            "content",
            "text",
            "body",
            "内容",
            "留言详情",
            "留言内容",
            "详情",
            "意见内容",
            "建议内容",
            "诉求内容",
            "反映内容",
            "信访内容",
        ],
    ),
    (
        "kind",
        &["kind", "type", "类型", "来源类型", "件类型", "诉求类型"],
    ),
    (
        "channel",
        &[
            "channel",
            "渠道",
            "来源渠道",
            "反映渠道",
            "受理渠道",
            "来信方式",
        ],
    ),
    (
        "site",
        &[
            "site",
            "联系点",
            "基层立法联系点",
            "联络站",
            "代表联络站",
            "观察点",
            "站点",
        ],
    ),
    (
        "region",
        &[
            "region",
            "district",
            "区县",
            "所属区县",
            "所属区域",
            "区域",
            "行政区划",
            "所在区",
        ],
    ),
    (
        "submitted_at",
        &[
            "submitted_at",
            "date",
            "time",
            "时间",
            "日期",
            "留言时间",
            "提交时间",
            "来信日期",
            "受理时间",
            "登记时间",
        ],
    ),
    (
        "law",
        &[
            "law",
            "法规",
            "法规名称",
            "草案名称",
            "法规草案",
            "征求意见稿",
        ],
    ),
    ("article", &["article", "条款", "条目", "涉及条款", "条文"]),
    (
        "category",
        &[
            "category",
            "分类",
            "类别",
            "一级分类",
            "一级标签",
            "问题分类",
            "诉求分类",
        ],
    ),
    ("status", &["status", "状态", "办理状态", "处理状态"]),
    (
        "submitter",
        &[
            "submitter",
            "user_id",
            "user",
            "留言用户",
            "提交人",
            "来信人",
            "反映人",
            "用户编号",
        ],
    ),
    (
        "likes",
        &["likes", "votes", "点赞数", "点赞", "支持数", "赞同数"],
    ),
    (
        "reply",
        &[
            "reply",
            "答复",
            "答复意见",
            "回复",
            "回复内容",
            "办理结果",
            "处理结果",
        ],
    ),
];

/// Maps input column names to record fields; unmapped columns are kept as extra metadata.
#[derive(Debug, Clone)]
pub struct FieldMapping {
    by_header: HashMap<String, &'static str>,
}

impl Default for FieldMapping {
    fn default() -> Self {
        let mut by_header = HashMap::new();
        for (field, aliases) in ALIASES {
            for alias in *aliases {
                by_header.insert(alias.to_lowercase(), *field);
            }
        }
        FieldMapping { by_header }
    }
}

impl FieldMapping {
    /// Maps `header` to `field`, replacing any built-in alias for that header.
    ///
    /// Fails with the list of valid fields when `field` is not a record field.
    pub fn with_override(mut self, header: &str, field: &str) -> Result<Self, String> {
        let field = FIELDS
            .iter()
            .find(|f| **f == field.trim())
            .ok_or_else(|| format!("unknown field `{field}` (fields: {})", FIELDS.join(", ")))?;
        self.by_header.insert(header.trim().to_lowercase(), field);
        Ok(self)
    }

    /// Parses `HEADER=FIELD` as given on the command line.
    pub fn with_override_spec(self, spec: &str) -> Result<Self, String> {
        let (header, field) = spec
            .split_once('=')
            .ok_or_else(|| format!("mapping `{spec}` is not of the form HEADER=FIELD"))?;
        self.with_override(header, field)
    }

    /// The record field that `header` feeds, if any.
    pub fn field_for(&self, header: &str) -> Option<&'static str> {
        self.by_header.get(&header.trim().to_lowercase()).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::FieldMapping;

    #[test]
    fn recognises_office_headers() {
        let m = FieldMapping::default();
        assert_eq!(m.field_for("留言编号"), Some("id"));
        assert_eq!(m.field_for(" 留言详情 "), Some("content"));
        assert_eq!(m.field_for("一级标签"), Some("category"));
        assert_eq!(m.field_for("User_ID"), Some("submitter"));
        assert_eq!(m.field_for("反对数"), None);
    }

    #[test]
    fn overrides_and_rejects_unknown_fields() {
        let m = FieldMapping::default()
            .with_override_spec("来件人=submitter")
            .unwrap();
        assert_eq!(m.field_for("来件人"), Some("submitter"));
        let err = FieldMapping::default()
            .with_override_spec("x=nope")
            .unwrap_err();
        assert!(err.contains("unknown field `nope`"), "{err}");
        assert!(
            FieldMapping::default()
                .with_override_spec("noequals")
                .is_err()
        );
    }
}
