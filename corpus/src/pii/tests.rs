//! Detection and masking on realistic (invented) Chinese text. Every ID and card number here is
//! made up, with valid check digits so that the checks are exercised.

use super::*;

fn masked(text: &str) -> String {
    mask(text).text
}

#[test]
fn finds_numbers_glued_to_chinese_characters() {
    assert_eq!(
        masked("身份证号430102199003071234，电话13812345678"),
        "身份证号4301**********1234，电话138****5678"
    );
    let spans = find("身份证号430102199003071234，电话13812345678");
    let kinds: Vec<PiiKind> = spans.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [PiiKind::IdNumber, PiiKind::Mobile]);
}

#[test]
fn finds_full_width_digits_and_keeps_them_in_the_hint() {
    assert_eq!(
        masked("联系电话：１３８１２３４５６７８，谢谢"),
        "联系电话：１３８****５６７８，谢谢"
    );
    assert_eq!(
        masked("身份证：４３０１０２１９９００３０７１２３４"),
        "身份证：４３０１**********１２３４"
    );
}

#[test]
fn id_numbers_need_the_check_digit_a_province_and_a_birth_date() {
    assert_eq!(
        masked("本人身份证11010519491231002X，户籍地址"),
        "本人身份证1101**********002X，户籍地址"
    );
    assert_eq!(
        masked("身份证11010519491231002x"),
        "身份证1101**********002x"
    );
    // One digit off: the check digit no longer fits.
    assert!(find("身份证430102199003071235").is_empty());
    // Valid-looking check digit but no province 99.
    assert!(find("编号990102199003071234").is_empty());
    // The old 15-digit form: province 43, born 1990-03-07.
    assert_eq!(
        masked("老身份证号码430102900307123"),
        "老身份证号码4301*******7123"
    );
    // Typed in groups: region, birth date, the rest.
    assert_eq!(
        masked("身份证 430102 19900307 1234"),
        "身份证 4301** ******** 1234"
    );
    // 15 digits whose "birth date" is 1990-13-07.
    assert!(find("流水号430102901307123").is_empty());
}

#[test]
fn finds_mobile_numbers_with_country_code_spaces_and_dashes() {
    assert_eq!(masked("+86 138 1234 5678"), "+86 138 **** 5678");
    assert_eq!(masked("手机：138-1234-5678。"), "手机：138-****-5678。");
    assert_eq!(masked("请回电+8615912345678"), "请回电+86159****5678");
    let spans = find("请回电+8615912345678");
    assert_eq!(spans[0].range, "请回电".len().."请回电+8615912345678".len());
    // 12 not a mobile prefix.
    assert!(find("号码12812345678").is_empty());
}

#[test]
fn finds_landlines_with_area_code_and_extension() {
    assert_eq!(masked("座机0731-88881234"), "座机0731-****1234");
    assert_eq!(masked("(010)62345678转801"), "(010)****5678转801");
    assert_eq!(masked("（０２０）83456789"), "（０２０）****6789");
    assert_eq!(masked("020-83456789-123"), "020-****6789-123");
    assert_eq!(masked("0731 8888 1234"), "0731 **** 1234");
    // Without an area code a landline cannot be told from any other eight digits.
    assert!(find("编号88881234").is_empty());
}

#[test]
fn finds_bank_cards_that_pass_luhn() {
    assert_eq!(
        masked("工资卡号6217 0000 1234 5670，开户行"),
        "工资卡号6217 **** **** 5670，开户行"
    );
    assert_eq!(masked("卡号6222021234567890128"), "卡号6222***********0128");
    assert!(
        find("卡号6217000012345671").is_empty(),
        "Luhn digit off by one"
    );
}

#[test]
fn finds_email_addresses() {
    assert_eq!(
        masked("请回复到邮箱zhangsan@example.com。"),
        "请回复到邮箱z*******@example.com。"
    );
    assert_eq!(masked("邮件a@mail.example.cn"), "邮件*@mail.example.cn");
    // A QQ address is one e-mail address, not a phone number.
    let spans = find("QQ邮箱13812345678@qq.com");
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].kind, PiiKind::Email);
    assert_eq!(
        masked("QQ邮箱13812345678@qq.com"),
        "QQ邮箱1**********@qq.com"
    );
    assert_eq!(
        masked("ｌｉｓｉ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        "ｌ***＠ｅｘａｍｐｌｅ．ｃｏｍ"
    );
    assert!(find("@某单位 请回复").is_empty());
    assert!(find("user@localhost").is_empty());
}

#[test]
fn leaves_ordinary_numbers_alone() {
    let text = "2024年5月1日下午3点，我在3栋502室拨打12345热线，2024-05-01 08:30受理，\
                工单号202405011234567890，订单DD13812345678，金额1380.50元，共15012户，\
                用户U123456，电话分机801，第3.13812345678条";
    assert_eq!(find(text), vec![], "{text}");
    assert_eq!(masked(text), text);
}

#[test]
fn splits_chains_of_several_numbers() {
    assert_eq!(
        masked("电话0731-88881234 13812345678"),
        "电话0731-****1234 138****5678"
    );
}

#[test]
fn masks_realistic_petition_text() {
    let text = "本人李某某，身份证号码：510107197806200119，现住临河县双桥镇柳塘村。\
                2024年3月至今多次反映自来水发黄问题未果，联系电话１５９ ８７６５ ４３２１，\
                或拨打家中座机0830-2345678。拖欠工资请打到农行卡6228480044556677886，\
                邮箱 liutang_li@163.com。";
    let m = mask(text);
    assert_eq!(
        m.text,
        "本人李某某，身份证号码：5101**********0119，现住临河县双桥镇柳塘村。\
         2024年3月至今多次反映自来水发黄问题未果，联系电话１５９ **** ４３２１，\
         或拨打家中座机0830-***5678。拖欠工资请打到农行卡6228***********7886，\
         邮箱 l*********@163.com。"
    );
    let kinds: Vec<PiiKind> = m.spans.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            PiiKind::IdNumber,
            PiiKind::Mobile,
            PiiKind::Landline,
            PiiKind::BankCard,
            PiiKind::Email
        ]
    );
    let found: Vec<&str> = m.spans.iter().map(|s| &text[s.range.clone()]).collect();
    assert_eq!(
        found,
        [
            "510107197806200119",
            "１５９ ８７６５ ４３２１",
            "0830-2345678",
            "6228480044556677886",
            "liutang_li@163.com"
        ]
    );
}

#[test]
fn html_keeps_tags_and_finds_numbers_split_by_them() {
    let html = "电话<em>138</em>12345678，身份证<em>4301</em>02199003071234，&lt;邮箱&gt; \
                <em>wang</em>@x.cn";
    assert_eq!(
        mask_html(html).text,
        "电话<em>138</em>****5678，身份证<em>4301</em>**********1234，&lt;邮箱&gt; \
         <em>w***</em>@x.cn"
    );
    let spans = find_in_html(html);
    // From the first digit to the last: a tag inside is part of the span.
    assert_eq!(&html[spans[0].range.clone()], "138</em>12345678");
    // In plain text the tags are text, so the number is interrupted.
    assert!(find("电话<em>138</em>12345678").is_empty());
    // A `<` that opens no tag is text.
    assert_eq!(mask_html("a<b 13812345678").text, "a<b 138****5678");
}

#[test]
fn masking_is_idempotent() {
    let once = masked("身份证号430102199003071234，电话13812345678，邮箱zhangsan@example.com");
    assert_eq!(masked(&once), once);
    assert!(find(&once).is_empty(), "{once}");
}

#[test]
fn masks_every_text_of_a_record_and_pseudonymises_the_submitter() {
    let record: crate::Record = serde_json::from_value(serde_json::json!({
        "id": "XF-2025-0001",
        "title": "请联系13812345678",
        "content": "身份证号430102199003071234，房子在3栋502",
        "reply": "已电话联系0731-88881234",
        "submitter": "U179331",
        "region": "青山区",
        "extra": {
            "联系电话": 13912345678u64,
            "备注": ["卡号6217000012345670", "无"],
            "联系人": {"邮箱": "wang@x.cn", "次数": 3}
        }
    }))
    .unwrap();
    let masker = Masker::new(b"index secret");
    let m = masker.record(&record);
    assert_eq!(m.title.as_deref(), Some("请联系138****5678"));
    assert_eq!(m.content, "身份证号4301**********1234，房子在3栋502");
    assert_eq!(m.reply.as_deref(), Some("已电话联系0731-****1234"));
    assert_eq!(
        serde_json::to_value(&m.extra).unwrap(),
        serde_json::json!({
            "联系电话": "139****5678",
            "备注": ["卡号6217********5670", "无"],
            "联系人": {"邮箱": "w***@x.cn", "次数": 3}
        })
    );
    assert_eq!(m.region, record.region);
    assert_eq!(m.id, record.id);
    let pseudonym = m.submitter.unwrap();
    assert_eq!(Some(pseudonym.clone()), Some(masker.pseudonym("U179331")));
    assert!(pseudonym.starts_with("访客-"), "{pseudonym}");
    let hex = pseudonym.trim_start_matches("访客-");
    assert_eq!(hex.len(), 8);
    assert!(
        hex.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
    );
    assert_ne!(masker.pseudonym("U179332"), pseudonym);
    assert_ne!(
        Masker::new(b"another index").pseudonym("U179331"),
        pseudonym
    );
}
