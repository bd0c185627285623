//! The known key an unknown field name resembles (SEMANTICS P12): the
//! "did you mean" of `unknown-field` and `key-case` messages.

/// The known key `name` resembles, and whether only by case (P12): a key
/// one or two edits away (one for `mx`), compared ignoring case.
pub(super) fn resembled_key(name: &str) -> Option<(&'static str, bool)> {
    super::KnownField::ALL
        .iter()
        .map(|field| field.as_str())
        .find_map(|key| {
            if key.eq_ignore_ascii_case(name) {
                return Some((key, true));
            }
            // A near miss keeps the key's first letter (`maxage`, `mdoe`)
            // or one holds the other whole (`eversion`, `ersion`): `note` is not
            // `mode`.
            let limit = if key.len() <= 2 { 1 } else { 2 };
            let (name_bytes, key_bytes) = (name.as_bytes(), key.as_bytes());
            let first = name_bytes.first() == key_bytes.first()
                || name_bytes
                    .first()
                    .is_some_and(|b| b.to_ascii_lowercase() == key_bytes[0]);
            let contains = |outer: &[u8], inner: &[u8]| {
                outer
                    .windows(inner.len())
                    .any(|window| window.eq_ignore_ascii_case(inner))
            };
            let holds = || contains(name_bytes, key_bytes) || contains(key_bytes, name_bytes);
            ((first || holds())
                && name.len().abs_diff(key.len()) <= limit
                && edits(name, key) <= limit)
                .then_some((key, false))
        })
}

/// The optimal-string-alignment distance between `a` (ASCII case folded)
/// and the known key `b`: `a` is a field name (at most 32 bytes), `b` at
/// most 7, so the table lives on the stack.
fn edits(a: &str, b: &str) -> usize {
    const ROWS: usize = crate::grammar::MAX_NAME_LEN + 1;
    const COLS: usize = 8;
    let a = a.as_bytes();
    let b = b.as_bytes();
    if a.len() >= ROWS || b.len() >= COLS {
        return usize::MAX;
    }
    let mut d = [[0usize; COLS]; ROWS];
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i][0] = i;
        for j in 1..=b.len() {
            let (x, y) = (a[i - 1].to_ascii_lowercase(), b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + usize::from(x != y));
            if i > 1 && j > 1 && x == b[j - 2] && a[i - 2].to_ascii_lowercase() == y {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::resembled_key;

    #[test]
    fn keys_that_resemble_known_keys() {
        assert_eq!(resembled_key("Mode"), Some(("mode", true)));
        assert_eq!(resembled_key("MX"), Some(("mx", true)));
        assert_eq!(resembled_key("maxage"), Some(("max_age", false)));
        assert_eq!(resembled_key("eversion"), Some(("version", false)));
        assert_eq!(resembled_key("mdoe"), Some(("mode", false)));
        assert_eq!(resembled_key("ersion"), Some(("version", false)));
        assert_eq!(resembled_key("note"), None);
        assert_eq!(resembled_key("node"), None);
        assert_eq!(resembled_key("id"), None);
        assert_eq!(resembled_key("comment"), None);
    }
}
