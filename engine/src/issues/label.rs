//! Labels that name the matter, as a 问题清单 line would: the place and the problem
//! (`魅力之城 · 临街商铺油烟噪音扰民`).
//!
//! The place is the specific name most members give (an estate, a school, a company …; a road
//! when no member names more; for opinions on a draft, the provision they are about,
//! `《某市养老服务条例（草案）》第八条`; the district when nothing more specific is named). The problem is
//! the most central member's title with the names, the courtesy and the framing taken off
//! (`关于…的问题`, `请求…`, `强烈建议…`); when no title is usable, the group's keywords.

use std::collections::HashMap;

use jieba_rs::Jieba;
use minyi_corpus::Record;
use minyi_indexer::names::kind::coded_area_at_start;
use minyi_indexer::names::{Entity, EntityKind};

/// Words a title opens with that frame the problem without being it.
const OPENINGS: &[&str] = &[
    "关于", "反映", "投诉", "举报", "咨询", "建议", "请求", "恳请", "希望", "要求", "强烈", "紧急",
    "呼吁", "请问", "请", "求助", "市民", "居民", "业主", "我们", "我", "对", "的",
    // What a removed name leaves behind (`魅力之城小区` → `小区`).
    "小区", "社区",
];
/// Words that need the noun after them: a closing word after one stays (`存在诸多问题`, not
/// `存在诸多`).
const QUANTIFIERS: &[&str] = &[
    "诸多",
    "一系列",
    "一些",
    "很多",
    "许多",
    "多个",
    "多项",
    "种种",
    "各种",
    "不少",
    "若干",
];
/// … and words it closes with.
const CLOSINGS: &[&str] = &[
    "的问题",
    "问题",
    "的修改意见",
    "修改意见",
    "的意见",
    "意见",
    "的修改",
    "的情况",
    "情况",
    "的建议",
    "建议",
    "的投诉",
    "的反映",
    "一事",
    "事宜",
    "的诉求",
    "诉求",
    "的请求",
    "的咨询",
    "咨询",
    "求助",
    "谁来管",
    "怎么办",
    "何时解决",
    "的",
];
/// A problem shorter than this says too little; longer than this, it is a sentence.
const PROBLEM_CHARS: std::ops::RangeInclusive<usize> = 4..=26;
/// Keywords the fallback problem is made of.
const PROBLEM_KEYWORDS: usize = 3;

/// The main name of a group, its problem, and the label made of both.
pub(super) struct Label {
    pub entity: Option<Entity>,
    pub problem: String,
    pub text: String,
}

/// `central` lists the members, most central first; `entities` the names each record gives and
/// `one_off` the places its title names that were not learned: when no learned name is the
/// group's, a one-off place most members' titles give names it (`星湖湾二期`), though it is no
/// entity to filter by.
pub(super) fn label(
    central: &[usize],
    records: &[Record],
    entities: &[Vec<Entity>],
    one_off: &[Vec<Entity>],
    keywords: &[String],
) -> Label {
    let specific = |k: EntityKind| k.is_specific() && k != EntityKind::Road;
    let entity = main_entity(central, entities, specific)
        .or_else(|| main_entity(central, entities, |k| k == EntityKind::Road));
    let named = entity
        .clone()
        .or_else(|| main_entity(central, one_off, specific));
    // A district says more than a city (`A市` is the whole data set's city).
    let area = main_entity(central, entities, |k| k == EntityKind::Area)
        .filter(|a| !a.name.ends_with('市'));
    let provision = main_provision(central, records);
    let problem = central
        .iter()
        .filter_map(|m| {
            let title = records[*m].title.as_deref()?;
            // The place is in the label already; other names stay, they are part of the problem
            // (`到松雅中学的公交`).
            let place = |e: &&Entity| {
                e.kind == EntityKind::Area
                    || named.as_ref().is_some_and(|main| {
                        main.name.contains(e.name.as_str()) || e.name.contains(main.name.as_str())
                    })
            };
            let record = &records[*m];
            let said: Vec<&str> = entities[*m]
                .iter()
                .chain(&one_off[*m])
                .filter(place)
                .map(|e| e.name.as_str())
                .chain(provision.as_ref().and(record.law.as_deref()))
                .chain(provision.as_ref().and(record.article.as_deref()))
                .collect();
            Some(problem_of(title, said))
        })
        .find(|p| PROBLEM_CHARS.contains(&p.chars().count()))
        .unwrap_or_else(|| {
            keywords
                .iter()
                .filter(|k| !entities.iter().flatten().any(|e| &e.name == *k))
                .take(PROBLEM_KEYWORDS)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        });
    let place = named
        .as_ref()
        .map(|e| e.name.as_str())
        .or(provision.as_deref())
        .or(area.as_ref().map(|e| e.name.as_str()));
    let text = match place {
        Some(place) if !problem.is_empty() => format!("{place} · {problem}"),
        Some(place) => place.to_string(),
        None => problem.clone(),
    };
    Label {
        entity,
        problem,
        text,
    }
}

/// The names of `names` that `title` opens with as whole words, after nothing but areas and
/// framing (`A7县星湖湾二期洋房…`, `投诉A市恒大文化旅游城…`): a label may name its group by them.
/// A one-off name cut out of a longer one would leave a fragment in the problem (`A8县市中梁首府`
/// gives `梁首府`, `A3区奥园城市天骄` gives `奥园城`).
pub(super) fn leading_names(title: &str, names: &[Entity], jieba: &Jieba) -> Vec<Entity> {
    // Most titles name no unlearned place: no need to cut them again.
    if names.is_empty() {
        return Vec::new();
    }
    let mut word_ends = Vec::new();
    let mut at = 0;
    for w in jieba.cut(title, false) {
        at += w.word.len();
        word_ends.push(at);
    }
    names
        .iter()
        .filter(|n| {
            title.find(n.name.as_str()).is_some_and(|start| {
                word_ends.contains(&(start + n.name.len())) && is_framing(&title[..start])
            })
        })
        .cloned()
        .collect()
}

/// Whether `text` is only areas (`A市`, `A7县`), framing words and punctuation.
fn is_framing(mut text: &str) -> bool {
    loop {
        text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
        if text.is_empty() {
            return true;
        }
        match coded_area_at_start(text).or_else(|| {
            OPENINGS
                .iter()
                .find(|o| text.starts_with(*o))
                .map(|o| o.len())
        }) {
            Some(end) => text = &text[end..],
            None => return false,
        }
    }
}

/// The name of a wanted kind that most members give, when at least half of them do (the most
/// central member's first name on ties).
fn main_entity(
    central: &[usize],
    entities: &[Vec<Entity>],
    wanted: impl Fn(EntityKind) -> bool,
) -> Option<Entity> {
    let mut counts: HashMap<&Entity, (usize, usize)> = HashMap::new();
    let mut order = 0;
    for m in central {
        for e in entities[*m].iter().filter(|e| wanted(e.kind)) {
            let entry = counts.entry(e).or_insert((0, order));
            entry.0 += 1;
            order += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, (n, _))| 2 * n >= central.len())
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(e, _)| e.clone())
}

/// The draft and article that at least half of the members comment on (`《…》第八条`), or the
/// draft alone when they comment on several of its articles.
fn main_provision(central: &[usize], records: &[Record]) -> Option<String> {
    let most = |key: &dyn Fn(&Record) -> Option<String>| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for m in central {
            if let Some(k) = key(&records[*m]) {
                *counts.entry(k).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .filter(|(_, n)| 2 * n >= central.len())
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(k, _)| k)
    };
    let law = most(&|r| r.law.clone())?;
    let article = most(&|r| {
        r.article
            .clone()
            .filter(|_| r.law.as_deref() == Some(law.as_str()))
    });
    Some(format!("《{law}》{}", article.unwrap_or_default()))
}

/// A title without the names and provision `said` elsewhere in the label, its framing and
/// punctuation.
fn problem_of(title: &str, mut names: Vec<&str>) -> String {
    let mut text: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    for name in names {
        text = text.replace(name, "");
    }
    text = drop_city_codes(&text);
    let punctuation = |c: char| !c.is_alphanumeric();
    loop {
        let before = text.len();
        text = text.trim_matches(punctuation).to_string();
        for o in OPENINGS {
            if let Some(rest) = text.strip_prefix(o) {
                text = rest.to_string();
            }
        }
        for c in CLOSINGS {
            if let Some(rest) = text.strip_suffix(c)
                && !QUANTIFIERS.iter().any(|q| rest.ends_with(q))
            {
                text = rest.to_string();
            }
        }
        if text.len() == before {
            break;
        }
    }
    // A title that is two sentences keeps its first.
    match text.find(['，', '。', '！', '？', ',', '!', '?']) {
        Some(end) if text[..end].chars().count() >= *PROBLEM_CHARS.start() => text[..end].into(),
        _ => text,
    }
}

/// Removes anonymised city codes (`A市`).
fn drop_city_codes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_uppercase() && chars.get(i + 1) == Some(&'市') {
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, title: &str) -> Record {
        serde_json::from_value(serde_json::json!({"id": id, "title": title, "content": title}))
            .unwrap()
    }

    #[test]
    fn the_label_names_the_place_and_the_problem() {
        let names = vec![
            vec![
                Entity::new("A7县", EntityKind::Area),
                Entity::new("魅力之城", EntityKind::Estate),
            ],
            vec![Entity::new("魅力之城", EntityKind::Estate)],
        ];
        let records = vec![
            record("1", "关于A市A7县魅力之城小区临街门面油烟扰民的问题"),
            record("2", "魅力之城噪音"),
        ];
        let label = label(
            &[0, 1],
            &records,
            &names,
            &[vec![], vec![]],
            &["油烟".into()],
        );
        assert_eq!(label.text, "魅力之城 · 临街门面油烟扰民");
        assert_eq!(label.entity.unwrap().name, "魅力之城");
    }

    #[test]
    fn a_place_named_once_names_the_group_when_no_learned_name_does() {
        let jieba = minyi_indexer::analyzer::load_jieba(None).unwrap();
        let titles = ["A7县星湖湾二期洋房质量太差", "投诉A7县星湖湾二期黑心开发商"];
        let records: Vec<Record> = titles.iter().map(|t| record("1", t)).collect();
        let area = vec![Entity::new("A7县", EntityKind::Area)];
        let one_off: Vec<Vec<Entity>> = titles
            .iter()
            .map(|t| {
                let found = minyi_indexer::names::one_off_names(t, &jieba);
                leading_names(t, &found, &jieba)
            })
            .collect();
        let label = label(&[0, 1], &records, &[area.clone(), area], &one_off, &[]);
        assert_eq!(label.text, "星湖湾 · 二期洋房质量太差");
        // Not an entity to filter by: none was learned.
        assert!(label.entity.is_none());
        // A one-off name cut out of a longer one would leave a fragment in the problem.
        let cut = [Entity::new("奥园城", EntityKind::Estate)];
        assert!(leading_names("A3区奥园城市天骄楼盘经常施工", &cut, &jieba).is_empty());
        let inside = [Entity::new("梁首府", EntityKind::Estate)];
        assert!(leading_names("A8县市中梁首府开发商偷工减料", &inside, &jieba).is_empty());
    }

    #[test]
    fn a_closing_word_after_a_quantifier_stays() {
        assert_eq!(
            problem_of(
                "A市五矿万境K9县交房后仍存在诸多问题",
                vec!["五矿万境", "K9县"]
            ),
            "交房后仍存在诸多问题"
        );
        assert_eq!(problem_of("关于小区停车难的问题", vec![]), "停车难");
    }

    #[test]
    fn opinions_on_one_article_are_labelled_with_the_provision() {
        let opinion = |id: &str, title: &str, article: &str| -> Record {
            serde_json::from_value(
                serde_json::json!({"id": id, "title": title, "content": title,
                "law": "某市养老服务条例（草案）", "article": article}),
            )
            .unwrap()
        };
        let records = vec![
            opinion("1", "对《某市养老服务条例（草案）》第八条的意见", "第八条"),
            opinion("2", "第八条配建标准偏低的修改意见", "第八条"),
            opinion("3", "社区养老设施配建", "第二十七条"),
        ];
        let none = [vec![], vec![], vec![]];
        let label = label(&[0, 1, 2], &records, &none, &none, &[]);
        assert_eq!(
            label.text,
            "《某市养老服务条例（草案）》第八条 · 配建标准偏低"
        );
    }

    #[test]
    fn without_a_usable_title_the_keywords_describe_the_problem() {
        let records = vec![record("1", "求助"), record("2", "？")];
        let label = label(
            &[0, 1],
            &records,
            &[vec![], vec![]],
            &[vec![], vec![]],
            &["渣土车".into(), "夜间".into(), "噪音".into(), "扬尘".into()],
        );
        assert_eq!(label.text, "渣土车 夜间 噪音");
        assert!(label.entity.is_none());
    }
}
