//! Loads the conformance vectors in `tests/conformance/*.json` (schema in
//! `tests/conformance/README.md`). Shared by the conformance test files.

use serde_json::Value;

/// One vector file, parsed.
pub fn vectors(kind: &str) -> Vec<Value> {
    let path = format!(
        "{}/tests/conformance/{kind}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let vectors: Vec<Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"));
    assert!(!vectors.is_empty(), "{path} holds no vectors");
    vectors
}

/// A vector's `id`.
pub fn id(vector: &Value) -> &str {
    vector["id"].as_str().expect("every vector has an id")
}

/// A vector's input text: `input`, or built from `generate` (README, Generators).
pub fn input(vector: &Value) -> String {
    if let Some(text) = vector["input"].as_str() {
        return text.to_owned();
    }
    let generate = &vector["generate"];
    let text = |key: &str| generate[key].as_str().unwrap_or("").to_owned();
    if let Some(repeat) = generate["repeat"].as_str() {
        let times = generate["times"].as_u64().expect("times") as usize;
        return text("prefix") + &repeat.repeat(times) + &text("suffix");
    }
    let base = text("base");
    let template = text("mx_template");
    let n = generate["mx_lines"].as_u64().expect("mx_lines");
    let lines: Vec<String> = (1..=n)
        .map(|i| template.replace("{i}", &i.to_string()))
        .collect();
    base.replace("{MX}", &lines.join("\n"))
}

/// The strings of a JSON array field (empty when absent).
pub fn strings<'v>(vector: &'v Value, key: &str) -> Vec<&'v str> {
    vector[key]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| item.as_str().expect("string item"))
                .collect()
        })
        .unwrap_or_default()
}

/// Collects failures and reports them all at once.
#[derive(Default)]
pub struct Failures(Vec<String>);

impl Failures {
    pub fn check(&mut self, ok: bool, id: &str, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(format!("{id}: {}", what()));
        }
    }

    #[track_caller]
    pub fn assert_none(self, ran: usize) {
        assert!(ran > 0, "no vectors ran");
        assert!(
            self.0.is_empty(),
            "{} of {ran} checks failed:\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}
