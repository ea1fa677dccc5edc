//! The search box's syntax: characters to lexemes to an [`Expr`].
//!
//! Every function takes `literal`, one flag per character: a flagged quote, parenthesis, `|`,
//! `-`, `OR` or field prefix is read as plain text, not as an operator. Lenient reading flags
//! the characters a strict reading stumbles on (see the parent module); full-width parentheses
//! are flagged from the start unless they are clearly used as operators ([`full_width_text`]).

use minyi_indexer::schema::FACET_FIELDS;

use super::QueryError;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Lexeme {
    Text {
        field: Option<String>,
        text: String,
        phrase: bool,
    },
    Not(usize),
    Or(usize),
    Open(usize),
    Close(usize),
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    Text {
        field: Option<String>,
        text: String,
        phrase: bool,
    },
    /// Clauses that must all hold; the flag marks excluded ones.
    And(Vec<(bool, Expr)>),
    Or(Vec<Expr>),
}

/// The expression `chars` spell, `None` when they hold no lexeme at all.
pub(super) fn expr(chars: &[char], literal: &[bool]) -> Result<Option<Expr>, QueryError> {
    let lexemes = lex(chars, literal)?;
    if lexemes.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser { lexemes, next: 0 };
    let expr = parser.or()?;
    if let Some(Lexeme::Close(at)) = parser.peek() {
        return Err(QueryError::UnexpectedParen(*at));
    }
    Ok(Some(expr))
}

/// One flag per character: set on full-width parentheses that are text. A pair of （） groups
/// only when it is clearly an operator: it holds `OR` or `|`, or follows a `-`. Otherwise, as in
/// a pasted title (`星湖湾（二期）`), it is part of the text. Unpaired ones are left unflagged,
/// so that reading them says so.
pub(super) fn full_width_text(chars: &[char]) -> Vec<bool> {
    let mut literal = vec![false; chars.len()];
    let mut open = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '（' => open.push(i),
            '）' => {
                if let Some(start) = open.pop() {
                    let inside: String = chars[start + 1..i].iter().collect();
                    let operator = inside.contains('|')
                        || inside.split_whitespace().any(|w| w == "OR")
                        || (start > 0 && chars[start - 1] == '-');
                    if !operator {
                        literal[start] = true;
                        literal[i] = true;
                    }
                }
            }
            _ => {}
        }
    }
    literal
}

fn is_quote(c: char) -> Option<char> {
    match c {
        '"' => Some('"'),
        '“' => Some('”'),
        '「' => Some('」'),
        _ => None,
    }
}

fn lex(chars: &[char], literal: &[bool]) -> Result<Vec<Lexeme>, QueryError> {
    // Whether the character at `i` ends a word: a space, or an operator not read as text.
    let ends_word = |i: usize| {
        let c = chars[i];
        c.is_whitespace()
            || (!literal[i]
                && (matches!(c, '(' | ')' | '（' | '）' | '|') || is_quote(c).is_some()))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let operator = !literal[i];
        if c.is_whitespace() {
            i += 1;
        } else if operator && (c == '(' || c == '（') {
            out.push(Lexeme::Open(i + 1));
            i += 1;
        } else if operator && (c == ')' || c == '）') {
            out.push(Lexeme::Close(i + 1));
            i += 1;
        } else if operator && c == '|' {
            out.push(Lexeme::Or(i + 1));
            i += 1;
        } else if operator && c == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace() {
            out.push(Lexeme::Not(i + 1));
            i += 1;
        } else if operator && c == '-' {
            return Err(QueryError::DanglingNot(i + 1));
        } else {
            let at = i + 1;
            let (field, start) = if operator {
                field_prefix(&chars[i..]).map_or((None, i), |(f, len)| (Some(f), i + len))
            } else {
                (None, i)
            };
            let quote = chars
                .get(start)
                .filter(|_| !literal[start])
                .copied()
                .and_then(is_quote);
            if let Some(close) = quote {
                let end = chars[start + 1..]
                    .iter()
                    .position(|c| *c == close || (close == '”' && *c == '"'))
                    .ok_or(QueryError::UnclosedQuote(start + 1))?
                    + start
                    + 1;
                let text: String = chars[start + 1..end].iter().collect();
                out.push(Lexeme::Text {
                    field,
                    text,
                    phrase: true,
                });
                i = end + 1;
            } else {
                let end = (start..chars.len())
                    .find(|j| ends_word(*j))
                    .unwrap_or(chars.len());
                let text: String = chars[start..end].iter().collect();
                match (&field, text.as_str()) {
                    (Some(f), "") => return Err(QueryError::EmptyFieldValue(f.clone(), at)),
                    (None, "OR") if operator => out.push(Lexeme::Or(at)),
                    (None, "AND") if operator => {}
                    _ => out.push(Lexeme::Text {
                        field,
                        text,
                        phrase: false,
                    }),
                }
                i = end;
            }
        }
    }
    Ok(out)
}

/// A known field name followed by `:` (or `：`) at the start of `chars`: the name and the
/// number of characters taken.
fn field_prefix(chars: &[char]) -> Option<(String, usize)> {
    let colon = chars.iter().position(|c| *c == ':' || *c == '：')?;
    let name: String = chars[..colon].iter().collect();
    let known = FACET_FIELDS.contains(&name.as_str())
        || matches!(
            name.as_str(),
            "title" | "content" | "reply" | "submitter" | "id"
        );
    known.then_some((name, colon + 1))
}

struct Parser {
    lexemes: Vec<Lexeme>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.next)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut alternatives = Vec::new();
        loop {
            if let Some(Lexeme::Or(at)) = self.peek() {
                return Err(QueryError::DanglingOr(*at));
            }
            alternatives.push(self.and()?);
            match self.peek() {
                Some(Lexeme::Or(at)) => {
                    let at = *at;
                    self.next += 1;
                    if matches!(self.peek(), None | Some(Lexeme::Close(_) | Lexeme::Or(_))) {
                        return Err(QueryError::DanglingOr(at));
                    }
                }
                _ => break,
            }
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().expect("one alternative")
        } else {
            Expr::Or(alternatives)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut clauses = Vec::new();
        while let Some(lexeme) = self.peek().cloned() {
            match lexeme {
                Lexeme::Or(_) | Lexeme::Close(_) => break,
                Lexeme::Not(at) => {
                    self.next += 1;
                    match self.peek() {
                        Some(Lexeme::Text { .. } | Lexeme::Open(_)) => {
                            clauses.push((true, self.primary()?))
                        }
                        _ => return Err(QueryError::DanglingNot(at)),
                    }
                }
                _ => clauses.push((false, self.primary()?)),
            }
        }
        Ok(if clauses.len() == 1 && !clauses[0].0 {
            clauses.pop().expect("one clause").1
        } else {
            Expr::And(clauses)
        })
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let lexeme = self.lexemes[self.next].clone();
        self.next += 1;
        match lexeme {
            Lexeme::Text {
                field,
                text,
                phrase,
            } => Ok(Expr::Text {
                field,
                text,
                phrase,
            }),
            Lexeme::Open(at) => {
                if matches!(self.peek(), Some(Lexeme::Close(_))) {
                    self.next += 1;
                    return Ok(Expr::And(Vec::new()));
                }
                let inner = self.or()?;
                match self.peek() {
                    Some(Lexeme::Close(_)) => {
                        self.next += 1;
                        Ok(inner)
                    }
                    _ => Err(QueryError::UnclosedParen(at)),
                }
            }
            other => unreachable!("primary() is only called on text or `(`, not {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `input` read strictly (full-width parentheses as the syntax says).
    pub(crate) fn strict(input: &str) -> Result<Option<Expr>, QueryError> {
        let chars: Vec<char> = input.chars().collect();
        expr(&chars, &full_width_text(&chars))
    }

    fn word(text: &str) -> Expr {
        Expr::Text {
            field: None,
            text: text.into(),
            phrase: false,
        }
    }

    #[test]
    fn parses_words_phrases_fields_negation_and_or() {
        assert_eq!(
            strict("广场舞 -装修 region:青山区").unwrap(),
            Some(Expr::And(vec![
                (false, word("广场舞")),
                (true, word("装修")),
                (
                    false,
                    Expr::Text {
                        field: Some("region".into()),
                        text: "青山区".into(),
                        phrase: false
                    }
                ),
            ]))
        );
        assert_eq!(
            strict("路灯 OR 照明 | 灯").unwrap(),
            Some(Expr::Or(vec![word("路灯"), word("照明"), word("灯")]))
        );
        assert_eq!(
            strict("“夜间 施工” title:\"渣土车\"").unwrap(),
            Some(Expr::And(vec![
                (
                    false,
                    Expr::Text {
                        field: None,
                        text: "夜间 施工".into(),
                        phrase: true
                    }
                ),
                (
                    false,
                    Expr::Text {
                        field: Some("title".into()),
                        text: "渣土车".into(),
                        phrase: true
                    }
                ),
            ]))
        );
        let grouped = Some(Expr::And(vec![
            (false, Expr::Or(vec![word("噪音"), word("扰民")])),
            (false, word("工地")),
        ]));
        assert_eq!(strict("(噪音 OR 扰民) 工地").unwrap(), grouped);
        assert_eq!(strict("（噪音 OR 扰民） 工地").unwrap(), grouped);
    }

    #[test]
    fn full_width_parentheses_are_text_unless_clearly_operators() {
        assert_eq!(
            strict("星湖湾（二期）噪音").unwrap(),
            Some(word("星湖湾（二期）噪音"))
        );
        assert_eq!(
            strict("噪音 -（装修 施工）").unwrap(),
            Some(Expr::And(vec![
                (false, word("噪音")),
                (
                    true,
                    Expr::And(vec![(false, word("装修")), (false, word("施工"))])
                ),
            ]))
        );
        // Half-width ones still group, and an unpaired full-width one is an error to repair.
        assert!(matches!(strict("(噪音 扰民)").unwrap(), Some(Expr::And(_))));
        assert_eq!(
            strict("A7县X024（青山铺至").unwrap_err(),
            QueryError::UnclosedParen(8)
        );
    }

    #[test]
    fn unknown_prefixes_and_inner_hyphens_are_plain_text() {
        assert_eq!(strict("时间:晚上").unwrap(), Some(word("时间:晚上")));
        assert_eq!(strict("G2-320").unwrap(), Some(word("G2-320")));
    }

    #[test]
    fn malformed_queries_say_where() {
        assert_eq!(
            strict("\"夜间施工").unwrap_err(),
            QueryError::UnclosedQuote(1)
        );
        assert_eq!(
            strict("(噪音 扰民").unwrap_err(),
            QueryError::UnclosedParen(1)
        );
        assert_eq!(strict("噪音)").unwrap_err(), QueryError::UnexpectedParen(3));
        assert_eq!(strict("OR 噪音").unwrap_err(), QueryError::DanglingOr(1));
        assert_eq!(strict("噪音 OR").unwrap_err(), QueryError::DanglingOr(4));
        assert_eq!(strict("噪音 -").unwrap_err(), QueryError::DanglingNot(4));
        assert_eq!(
            strict("region: 青山区").unwrap_err(),
            QueryError::EmptyFieldValue("region".into(), 1)
        );
    }

    #[test]
    fn flagged_characters_are_plain_text() {
        let chars: Vec<char> = "\"夜间 OR".chars().collect();
        let mut literal = vec![false; chars.len()];
        literal[0] = true;
        literal[4] = true;
        assert_eq!(
            expr(&chars, &literal).unwrap(),
            Some(Expr::And(vec![
                (false, word("\"夜间")),
                (false, word("OR"))
            ]))
        );
    }
}
