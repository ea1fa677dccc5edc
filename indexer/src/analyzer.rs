//! Chinese word segmentation for tantivy, with jieba.
//!
//! Documents are indexed in *search mode*: each word jieba finds is indexed together with the
//! dictionary words inside it (`基层立法联系点` also as `立法联系点`, `联系点`, `立法`, `基层` …), so a
//! search for a part finds the whole. Queries are segmented in *exact mode* (one token per word).
//!
//! A token's position is the number of letters and digits before it in the text (punctuation and
//! spaces do not count), in documents and queries alike, and a word's parts sit where they start
//! inside it. That keeps phrase queries working for whole words and for parts: `"南京市 长江大桥"`
//! is `南京市@0 长江大桥@3` in the query and in the document, and `长江@3 大桥@5` match the phrase
//! `长江 大桥` inside it. It matters most for names learned from the records: `锦程华府项目`, one
//! word once learned, still holds `锦程@0 华府@2` for a query that cuts `锦程华府` into two words.
//! (Counting positions differently on the two sides, as the public adapter crate does with
//! character offsets against ordinals, makes adjacent words look far apart and breaks phrases.)
//! Offsets are byte ranges of the original text, so snippets highlight whole words.
//!
//! Whitespace and punctuation are dropped; ASCII letters are lower-cased.

use std::io::BufReader;
use std::path::Path;
use std::sync::Arc;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use crate::names::UserDictionary;

/// The name both tokenizers are registered under, in the index's and the query parser's managers.
pub const TOKENIZER_NAME: &str = "minyi_jieba";

/// Domain terms shipped with minyi (基层立法联系点, 12345热线 …), in jieba's dictionary format.
const DOMAIN_DICT: &str = include_str!("../dict/domain.txt");

/// Words longer than this are not scanned for inner dictionary words.
const MAX_INNER_SCAN_CHARS: usize = 16;

/// How a text is cut into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Words plus the dictionary words inside them, where they start: for documents.
    Index,
    /// Words only: for queries.
    Query,
}

/// A jieba tokenizer sharing one dictionary (copying jieba's dictionary per call costs ~2 ms).
#[derive(Clone)]
pub struct JiebaTokenizer {
    jieba: Arc<Jieba>,
    mode: Mode,
}

/// Errors loading a user dictionary.
#[derive(Debug, thiserror::Error)]
#[error("user dictionary {path}: {reason}")]
pub struct DictionaryError {
    pub path: String,
    pub reason: String,
}

/// jieba's default dictionary plus minyi's domain terms and, optionally, a user dictionary (one
/// word per line, optionally followed by a frequency and a part-of-speech tag; see
/// [`crate::names::UserDictionary`] for pins and vetoes).
pub fn load_jieba(user_dict: Option<&Path>) -> Result<Arc<Jieba>, DictionaryError> {
    let extra = match user_dict {
        Some(path) => read_user_dictionary(path)?.jieba_lines,
        None => String::new(),
    };
    jieba_with(&extra, user_dict.unwrap_or(Path::new("(words)")))
}

/// Reads and parses the user dictionary at `path`.
pub fn read_user_dictionary(path: &Path) -> Result<UserDictionary, DictionaryError> {
    let text = std::fs::read_to_string(path).map_err(|e| DictionaryError {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    Ok(UserDictionary::parse(&text))
}

/// jieba's default dictionary, minyi's domain terms and `words` (jieba dictionary lines, which
/// came from `source`).
pub fn jieba_with(words: &str, source: &Path) -> Result<Arc<Jieba>, DictionaryError> {
    let mut jieba = Jieba::new();
    jieba
        .load_dict(&mut DOMAIN_DICT.as_bytes())
        .expect("the bundled domain dictionary is well-formed");
    jieba
        .load_dict(&mut BufReader::new(words.as_bytes()))
        .map_err(|e| DictionaryError {
            path: source.display().to_string(),
            reason: e.to_string(),
        })?;
    Ok(Arc::new(jieba))
}

impl JiebaTokenizer {
    pub fn new(jieba: Arc<Jieba>, mode: Mode) -> Self {
        JiebaTokenizer { jieba, mode }
    }

    /// The tokens of `text`, as [`Tokenizer::token_stream`] yields them.
    /// The dictionary it cuts with (jieba's, minyi's terms and the learned names).
    pub fn jieba(&self) -> &Jieba {
        &self.jieba
    }

    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut position = 0;
        for word in self.jieba.cut(text, true) {
            let letters = word.word.chars().filter(|c| c.is_alphanumeric()).count();
            if letters == 0 {
                continue;
            }
            // The word before its parts: tantivy's snippets need offsets that never go back.
            tokens.push(token(word.word, word.byte_start, position));
            if self.mode == Mode::Index {
                self.push_inner_words(word.word, word.byte_start, position, &mut tokens);
            }
            position += letters;
        }
        tokens
    }

    /// Pushes the dictionary words strictly inside `word` (two characters or more).
    fn push_inner_words(
        &self,
        word: &str,
        byte_start: usize,
        position: usize,
        out: &mut Vec<Token>,
    ) {
        let chars = word.chars().count();
        // Long runs (URLs, serial numbers) hold no dictionary words worth a quadratic scan.
        if !(3..=MAX_INNER_SCAN_CHARS).contains(&chars) {
            return;
        }
        // Byte offset of each character (and the end), and the letters and digits before it.
        let mut bounds = [0usize; MAX_INNER_SCAN_CHARS + 1];
        let mut letters_before = [0usize; MAX_INNER_SCAN_CHARS + 1];
        for (k, (i, c)) in word.char_indices().enumerate() {
            bounds[k] = i;
            letters_before[k + 1] = letters_before[k] + usize::from(c.is_alphanumeric());
        }
        bounds[chars] = word.len();
        for start in 0..chars - 1 {
            for len in (2..chars - start + 1).filter(|len| *len < chars) {
                let part = &word[bounds[start]..bounds[start + len]];
                if self.jieba.has_word(part) {
                    out.push(token(
                        part,
                        byte_start + bounds[start],
                        position + letters_before[start],
                    ));
                }
            }
        }
    }
}

fn token(word: &str, byte_start: usize, position: usize) -> Token {
    Token {
        offset_from: byte_start,
        offset_to: byte_start + word.len(),
        position,
        text: word.to_lowercase(),
        position_length: 1,
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream {
        JiebaTokenStream {
            tokens: self.tokens(text),
            next: 0,
        }
    }
}

/// The tokens of one text, computed up front.
pub struct JiebaTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for JiebaTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(mode: Mode, text: &str) -> Vec<(String, usize)> {
        let tokenizer = JiebaTokenizer::new(load_jieba(None).unwrap(), mode);
        tokenizer
            .tokens(text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    #[test]
    fn index_mode_adds_inner_words_where_they_start() {
        let tokens = words(Mode::Index, "向基层立法联系点反映");
        let at = |w: &str| tokens.iter().find(|(t, _)| t == w).map(|(_, p)| *p);
        assert_eq!(at("基层立法联系点"), Some(1));
        assert_eq!(at("基层"), Some(1));
        assert_eq!(at("立法联系点"), Some(3));
        assert_eq!(at("立法"), Some(3));
        assert_eq!(at("联系点"), Some(5));
        assert_eq!(at("反映"), Some(8));
    }

    #[test]
    fn query_mode_is_words_only_and_drops_punctuation() {
        assert_eq!(
            words(Mode::Query, "ABC广场舞， 太吵了！"),
            vec![
                ("abc".into(), 0),
                ("广场舞".into(), 3),
                ("太吵".into(), 6),
                ("了".into(), 8)
            ]
        );
    }

    #[test]
    fn index_mode_offsets_never_go_back() {
        let tokenizer = JiebaTokenizer::new(load_jieba(None).unwrap(), Mode::Index);
        let starts: Vec<usize> = tokenizer
            .tokens("中华人民共和国基层立法联系点夜间施工")
            .iter()
            .map(|t| t.offset_from)
            .collect();
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    }

    #[test]
    fn offsets_are_byte_ranges_of_whole_words() {
        let text = "拨打12345热线";
        let tokenizer = JiebaTokenizer::new(load_jieba(None).unwrap(), Mode::Index);
        let spans: Vec<&str> = tokenizer
            .tokens(text)
            .iter()
            .map(|t| &text[t.offset_from..t.offset_to])
            .collect();
        assert!(
            spans.contains(&"12345热线") || spans.contains(&"12345"),
            "{spans:?}"
        );
        assert!(spans.contains(&"拨打"), "{spans:?}");
    }

    #[test]
    fn user_dictionary_is_loaded_and_bad_paths_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let dict = dir.path().join("user.txt");
        std::fs::write(&dict, "幸福里小区 100 n\n").unwrap();
        let tokenizer = JiebaTokenizer::new(load_jieba(Some(&dict)).unwrap(), Mode::Query);
        let tokens: Vec<String> = tokenizer
            .tokens("幸福里小区噪音")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(tokens[0], "幸福里小区");
        let err = load_jieba(Some(&dir.path().join("missing.txt")))
            .err()
            .unwrap();
        assert!(err.to_string().contains("missing.txt"));
    }
}
