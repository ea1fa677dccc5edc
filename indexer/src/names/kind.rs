//! What kind of thing a name names, read off its suffix (小区, 路, 村, 中学, 公司 …).

use serde::{Deserialize, Serialize};

/// The kind of a proper name. Areas (districts, counties, sub-districts) are where a matter is;
/// every other kind is *specific*: two complaints naming different specific names are about
/// different matters, whatever else they share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EntityKind {
    /// A district, county, town or sub-district: `A5区`, `星沙街道`.
    Area,
    /// A residential estate or building: `魅力之城`, `伊景园滨河苑`.
    Estate,
    /// A road, street or bridge: `看云路`.
    Road,
    /// A village or community: `黄兴村`.
    Village,
    School,
    Hospital,
    /// A company or other organisation: `五矿地产公司`.
    Organisation,
    /// A government body or service that complaints are addressed to rather than about:
    /// `区住建局`, `12345市长热线`.
    Authority,
    /// A park, market, station or other site: `月湖公园`.
    Place,
    /// A project, programme or platform: `城市更新工程`.
    Programme,
    /// A name the records repeat without a telling suffix: `五矿万境`.
    Name,
}

impl EntityKind {
    pub const ALL: [EntityKind; 11] = [
        EntityKind::Area,
        EntityKind::Estate,
        EntityKind::Road,
        EntityKind::Village,
        EntityKind::School,
        EntityKind::Hospital,
        EntityKind::Organisation,
        EntityKind::Authority,
        EntityKind::Place,
        EntityKind::Programme,
        EntityKind::Name,
    ];

    /// The word used in names files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Area => "area",
            EntityKind::Estate => "estate",
            EntityKind::Road => "road",
            EntityKind::Village => "village",
            EntityKind::School => "school",
            EntityKind::Hospital => "hospital",
            EntityKind::Organisation => "organisation",
            EntityKind::Authority => "authority",
            EntityKind::Place => "place",
            EntityKind::Programme => "programme",
            EntityKind::Name => "name",
        }
    }

    pub fn parse(word: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// Whether naming two different names of this kind means two different matters.
    pub fn is_specific(self) -> bool {
        !matches!(self, EntityKind::Area | EntityKind::Authority)
    }
}

/// Whether a name of `kind` is a district or county (`A5区`, `临河县`), the area a record is in.
pub fn is_district(kind: EntityKind, name: &str) -> bool {
    kind == EntityKind::Area && name.ends_with(['区', '县'])
}

/// Suffixes and the kind they mark; the longest suffix a name ends with decides (`幼儿园` over `园`).
const SUFFIXES: &[(&str, EntityKind)] = &[
    ("街道", EntityKind::Area),
    ("区", EntityKind::Area),
    ("县", EntityKind::Area),
    ("新区", EntityKind::Area),
    ("开发区", EntityKind::Area),
    ("高新区", EntityKind::Area),
    ("小区", EntityKind::Estate),
    ("花园", EntityKind::Estate),
    ("家园", EntityKind::Estate),
    ("华府", EntityKind::Estate),
    ("公馆", EntityKind::Estate),
    ("公寓", EntityKind::Estate),
    ("大厦", EntityKind::Estate),
    ("新城", EntityKind::Estate),
    ("名城", EntityKind::Estate),
    ("山庄", EntityKind::Estate),
    ("雅苑", EntityKind::Estate),
    ("苑", EntityKind::Estate),
    ("府", EntityKind::Estate),
    ("城", EntityKind::Estate),
    ("湾", EntityKind::Estate),
    ("郡", EntityKind::Estate),
    ("华庭", EntityKind::Estate),
    ("园", EntityKind::Estate),
    ("大道", EntityKind::Road),
    ("大桥", EntityKind::Road),
    // Expressways and highways are named like roads (`长永高速`, `机场公路`).
    ("高速", EntityKind::Road),
    ("公路", EntityKind::Road),
    ("立交", EntityKind::Road),
    ("路", EntityKind::Road),
    ("街", EntityKind::Road),
    ("巷", EntityKind::Road),
    ("桥", EntityKind::Road),
    ("新村", EntityKind::Village),
    ("社区", EntityKind::Village),
    ("村", EntityKind::Village),
    ("镇", EntityKind::Area),
    ("乡", EntityKind::Area),
    ("幼儿园", EntityKind::School),
    ("小学", EntityKind::School),
    ("中学", EntityKind::School),
    ("学院", EntityKind::School),
    ("大学", EntityKind::School),
    ("学校", EntityKind::School),
    ("驾校", EntityKind::School),
    ("医院", EntityKind::Hospital),
    ("卫生院", EntityKind::Hospital),
    ("诊所", EntityKind::Hospital),
    ("有限公司", EntityKind::Organisation),
    ("公司", EntityKind::Organisation),
    ("集团", EntityKind::Organisation),
    ("物业", EntityKind::Organisation),
    ("银行", EntityKind::Organisation),
    ("中心", EntityKind::Organisation),
    ("酒店", EntityKind::Organisation),
    ("工厂", EntityKind::Organisation),
    ("厂", EntityKind::Organisation),
    ("局", EntityKind::Authority),
    ("分局", EntityKind::Authority),
    ("政府", EntityKind::Authority),
    ("委员会", EntityKind::Authority),
    ("热线", EntityKind::Authority),
    ("派出所", EntityKind::Authority),
    ("法院", EntityKind::Authority),
    ("公园", EntityKind::Place),
    ("广场", EntityKind::Place),
    ("市场", EntityKind::Place),
    ("商场", EntityKind::Place),
    ("车站", EntityKind::Place),
    ("地铁站", EntityKind::Place),
    ("站", EntityKind::Place),
    ("码头", EntityKind::Place),
    ("工程", EntityKind::Programme),
    ("项目", EntityKind::Programme),
    ("平台", EntityKind::Programme),
    ("计划", EntityKind::Programme),
    ("线", EntityKind::Programme),
    // Railways are lines too (`长株潭城铁`, `长株潭城际铁路`, `京广高铁`): without these, `长株潭城` of
    // `长株潭城铁` reads as an estate, or the line as no name at all.
    ("铁路", EntityKind::Programme),
    ("高铁", EntityKind::Programme),
    ("城铁", EntityKind::Programme),
    ("城际", EntityKind::Programme),
    ("轻轨", EntityKind::Programme),
    ("磁浮", EntityKind::Programme),
];

/// The kind a name's suffix marks and the suffix's length in characters, when the name has one
/// and something before it.
pub fn kind_by_suffix(name: &str) -> Option<(EntityKind, usize)> {
    suffixes_of(name).max().map(|n| (suffix_kind(name, n), n))
}

/// Whether `word` is a kind suffix by itself (`小区`, `路`).
pub fn is_suffix(word: &str) -> bool {
    SUFFIXES.iter().any(|(suffix, _)| *suffix == word)
}

/// The lengths (in characters) of every kind suffix `name` ends with, leaving a head.
pub fn suffixes_of(name: &str) -> impl Iterator<Item = usize> + '_ {
    let chars = name.chars().count();
    // A suffix word alone (`小区`) is no name, even where a shorter suffix ends it.
    let whole_suffix = is_suffix(name);
    SUFFIXES
        .iter()
        .filter(move |(suffix, _)| !whole_suffix && name.ends_with(suffix))
        .map(|(suffix, _)| suffix.chars().count())
        .filter(move |n| chars > *n)
}

fn suffix_kind(name: &str, chars: usize) -> EntityKind {
    SUFFIXES
        .iter()
        .find(|(suffix, _)| name.ends_with(suffix) && suffix.chars().count() == chars)
        .map(|(_, kind)| *kind)
        .expect("a suffix of that length was found")
}

/// Titles after a person's name (`沈书记`, `王局长`): people are not matters, and their names are
/// personal data.
const PERSON_TITLES: &[&str] = &[
    "书记", "市长", "县长", "区长", "局长", "主任", "部长", "厅长", "镇长", "村长", "领导", "先生",
    "女士", "老师", "师傅", "经理", "总", "同志", "警官", "科长", "队长", "处长", "校长", "院长",
    "所长",
];

/// Whether `name` ends with a person's title.
pub fn is_person(name: &str) -> bool {
    PERSON_TITLES.iter().any(|t| name.ends_with(t))
}

/// A coded or plain administrative area as the real data write them: `A5区`, `K8县`.
pub fn is_coded_area(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    matches!(chars.last(), Some('区' | '县' | '市'))
        && (2..=4).contains(&chars.len())
        && chars[..chars.len() - 1]
            .iter()
            .all(|c| c.is_ascii_alphanumeric())
        && chars[0].is_ascii_uppercase()
}

/// Whether a longer name holds a coded area (`A2区丽发新城`, `长郡A1区实验中学`): such a name is
/// a name and an area, learned without the area.
pub fn contains_coded_area(name: &str) -> bool {
    name.char_indices().any(|(start, _)| {
        coded_area_at_start(&name[start..]).is_some_and(|len| start > 0 || start + len < name.len())
    })
}

/// The length in bytes of the coded area `text` opens with (`A7县` of `A7县星沙…`), if any.
pub fn coded_area_at_start(text: &str) -> Option<usize> {
    text.char_indices()
        .skip(1)
        .take(3)
        .map(|(i, c)| i + c.len_utf8())
        .find(|&end| is_coded_area(&text[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_name_the_kind_longest_first() {
        assert_eq!(kind_by_suffix("星沙街道"), Some((EntityKind::Area, 2)));
        assert_eq!(kind_by_suffix("魅力之城"), Some((EntityKind::Estate, 1)));
        assert_eq!(kind_by_suffix("看云路"), Some((EntityKind::Road, 1)));
        assert_eq!(
            kind_by_suffix("涉外经济学院"),
            Some((EntityKind::School, 2))
        );
        assert_eq!(kind_by_suffix("小区"), None);
        assert_eq!(kind_by_suffix("五矿万境"), None);
        assert_eq!(kind_by_suffix("星河幼儿园"), Some((EntityKind::School, 3)));
        assert_eq!(kind_by_suffix("区住建局"), Some((EntityKind::Authority, 1)));
        assert_eq!(
            kind_by_suffix("长株潭城铁"),
            Some((EntityKind::Programme, 2))
        );
        assert_eq!(kind_by_suffix("长永高速"), Some((EntityKind::Road, 2)));
    }

    #[test]
    fn coded_areas_are_recognised() {
        assert!(is_coded_area("A5区"));
        assert!(is_coded_area("K8县"));
        assert!(!is_coded_area("小区"));
        assert!(!is_coded_area("a5区"));
        assert!(contains_coded_area("A2区丽发新城"));
        assert!(contains_coded_area("长郡A1区实验中学"));
        assert!(!contains_coded_area("丽发新城"));
        assert!(!contains_coded_area("A2区"));
        assert!(is_person("沈书记") && !is_person("书院"));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in EntityKind::ALL {
            assert_eq!(EntityKind::parse(kind.as_str()), Some(kind));
        }
        assert!(!EntityKind::Area.is_specific());
        assert!(EntityKind::Estate.is_specific());
    }
}
