//! TEMPORARY stub (the lead's) until value/mod.rs lands.
use jixiao_core::ParsedValue;

pub fn parse_value(text: &str) -> ParsedValue {
    ParsedValue { qualitative: !text.chars().any(|c| c.is_ascii_digit()), ..Default::default() }
}

pub fn parse_money(text: &str) -> Option<f64> {
    let t: String = text.trim().trim_end_matches("万元").trim_end_matches('万').chars().filter(|c| *c != ',').collect();
    t.trim().parse().ok()
}

pub fn parse_percent(text: &str) -> Option<f64> {
    text.trim().trim_end_matches('%').trim().parse().ok()
}
