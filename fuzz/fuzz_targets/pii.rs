//! Personal data detection and masking: any text, plain or HTML, gives spans in order, inside
//! the text and on character boundaries, the same spans from `find*` as from `mask*`, and a
//! masked text with exactly as many characters (masking replaces characters, never adds or drops).
#![no_main]

use libfuzzer_sys::fuzz_target;
use minyi_corpus::pii;

fuzz_target!(|text: &str| {
    for (spans, masked) in [
        (pii::find(text), pii::mask(text)),
        (pii::find_in_html(text), pii::mask_html(text)),
    ] {
        assert_eq!(spans, masked.spans);
        let mut end = 0;
        for span in &spans {
            assert!(span.range.start >= end && span.range.start < span.range.end);
            assert!(span.range.end <= text.len());
            assert!(
                text.is_char_boundary(span.range.start) && text.is_char_boundary(span.range.end)
            );
            end = span.range.end;
        }
        assert_eq!(masked.text.chars().count(), text.chars().count());
    }
});
