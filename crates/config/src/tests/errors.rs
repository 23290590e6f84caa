//! The exact text and position of every configuration error.

use super::{HEAD, errors, ok};

#[test]
fn budget_year_out_of_range() {
    assert_eq!(
        errors(&HEAD.replace("year = 2024", "year = 1999")),
        "pipeline.toml:3:8: error: `year` is 1999: the budget year must be between 2000 and 2100"
    );
    assert_eq!(
        errors(&HEAD.replace("year = 2024", "year = 99999999999")),
        "pipeline.toml:3:8: error: `year` is 99999999999: the budget year must be between 2000 and 2100"
    );
}

#[test]
fn empty_name() {
    assert_eq!(
        errors(&HEAD.replace("name = \"t\"", "name = \" \"")),
        "pipeline.toml:2:8: error: `name` is empty: name the pipeline (it is printed on every packet)"
    );
}

#[test]
fn as_of_must_be_a_real_date() {
    let with =
        |v: &str| errors(&HEAD.replace("year = 2024\n", &format!("year = 2024\nas_of = {v}\n")));
    assert_eq!(
        with("\"2024-02-30\""),
        "pipeline.toml:4:9: error: `as_of` is \"2024-02-30\": day 30 does not exist (2024-02 has 29 days)"
    );
    assert_eq!(
        with("\"2024/3/1\""),
        "pipeline.toml:4:9: error: `as_of` is \"2024/3/1\": write a date as YYYY-MM-DD, e.g. \"2024-03-01\""
    );
    assert_eq!(
        with("2024-03-01T08:00:00"),
        "pipeline.toml:4:9: error: `as_of` is 2024-03-01T08:00:00: give only the date, e.g. \"2024-03-01\""
    );
    assert_eq!(
        with("20240301"),
        "pipeline.toml:4:9: error: `as_of` is a integer: write the date as \"YYYY-MM-DD\", e.g. \"2024-03-01\""
    );
}

#[test]
fn jurisdiction_must_be_a_place() {
    let with = |v: &str| {
        HEAD.replace(
            "year = 2024\n",
            &format!("year = 2024\njurisdiction = \"{v}\"\n"),
        )
    };
    assert_eq!(
        errors(&with("财政局")),
        "pipeline.toml:4:16: error: `jurisdiction` is \"财政局\": write the place as units' names \
         start with it, ending in 省, 市, 州, 县, 区 or 旗 (e.g. \"攀枝花市西区\" or \"盐边县\")"
    );
    // More than the place (a unit's name) is not a place either.
    assert!(errors(&with("攀枝花市西区民政局")).contains("`jurisdiction` is"));
    let p = ok(&with("攀枝花市西区"));
    let place = p.pipeline.jurisdiction.map(|j| j.name());
    assert_eq!(place.as_deref(), Some("攀枝花市西区"));
}

#[test]
fn inputs_are_required() {
    let text = HEAD.replace("[[inputs]]\npaths = [\"x\"]\n", "");
    assert_eq!(
        errors(&text),
        "pipeline.toml:1:1: error: no `[[inputs]]`: add at least one `[[inputs]]` table with \
         `paths = [\"...\"]` (files or glob patterns, relative to this file)"
    );
    let text = HEAD
        .replace("[[inputs]]\npaths = [\"x\"]\n", "")
        .replace("[pipeline]", "inputs = []\n[pipeline]");
    assert_eq!(
        errors(&text),
        "pipeline.toml:1:10: error: no `[[inputs]]`: add at least one `[[inputs]]` table with \
         `paths = [\"...\"]` (files or glob patterns, relative to this file)"
    );
    let text = HEAD.replace("[[inputs]]", "[inputs]");
    assert_eq!(
        errors(&text),
        "pipeline.toml:4:1: error: `inputs` must be a list of tables: write each input as \
         `[[inputs]]` (two brackets) followed by `paths = [...]`"
    );
}

#[test]
fn input_paths_layout_and_encoding_are_checked() {
    let text = format!(
        "{HEAD}[[inputs]]\npaths = []\n[[inputs]]\npaths = [\"a\", \"\"]\nlayout = \"table\"\nencoding = \"gb2313\"\n"
    );
    assert_eq!(
        errors(&text),
        "pipeline.toml:9:9: error: `paths` is empty: list at least one file or glob pattern, \
         e.g. `paths = [\"samples/*.txt\"]`\n\
         pipeline.toml:11:15: error: empty path in `paths`: remove it or write a file or glob pattern\n\
         pipeline.toml:12:10: error: unknown layout `table`: use one of `tabbed`, `cell-per-line`, \
         `paragraph`, `space-separated`, `pipe`, `csv`, `spreadsheet`, or remove `layout` to detect it\n\
         pipeline.toml:13:12: error: unknown encoding `gb2313`: use an encoding label such as \
         `utf-8`, `gb18030`, `gbk`, `big5` or `utf-16le`, or remove `encoding` to detect it"
    );
}

#[test]
fn label_keys_must_be_canonical_and_synonyms_non_empty() {
    let text = format!(
        "{HEAD}[normalize.labels]\nfields = {{ year = [\"年度\"], \"attribute:\" = [\"x\"] }}\n\
         level1 = {{ \"产出\" = [\"a\"] }}\nlevel2 = {{ \"数量\" = [\"a\"] }}\n\
         funds = {{ fiscal = [\"\"], items = [\"b\"], sum = [\"c\"] }}\n\
         titles = {{ footer = [\"填报人\"], heading = [\"x\"] }}\n"
    );
    let fields = "use one of `name`, `code`, `unit`, `supervisor`, `goal`, `funds_use`, \
                  `spending_plan`, `funds_block`, `tasks_block`, `indicators_block`, `column:level1`, \
                  `column:level2`, `column:name`, `column:value`, `column:description`, \
                  `column:basis`, `column:comparator`, `column:unit`, `column:weight`, \
                  `column:long_term_value`, `column:actual`, `column:funds`, or `attribute:<名称>` (e.g. `attribute:项目属性`)";
    let expected = [
        format!(
            "pipeline.toml:9:12: error: unknown key `year` in `[normalize.labels.fields]`: {fields}"
        ),
        format!(
            "pipeline.toml:9:27: error: unknown key `attribute:` in `[normalize.labels.fields]`: {fields}"
        ),
        "pipeline.toml:10:12: error: unknown key `产出` in `[normalize.labels.level1]`: keys are \
         the canonical 一级 names `产出指标`, `效益指标`, `满意度指标`, `成本指标`; put other \
         spellings in the list"
            .to_string(),
        "pipeline.toml:11:12: error: unknown key `数量` in `[normalize.labels.level2]`: keys are \
         the canonical 二级 names `数量指标`, `质量指标`, `时效指标`, `成本指标`, `经济效益指标`, \
         `社会效益指标`, `生态效益指标`, `可持续影响指标`, `服务对象满意度指标`, `经济成本指标`, \
         `社会成本指标`, `生态环境成本指标`; put other spellings in the list"
            .to_string(),
        "pipeline.toml:12:21: error: empty synonym for `fiscal` in `[normalize.labels.funds]`: \
         remove it (an empty label would match every blank cell)"
            .to_string(),
        "pipeline.toml:12:41: error: unknown key `sum` in `[normalize.labels.funds]`: use one of \
         `total`, `fiscal`, `other`, `items`"
            .to_string(),
        "pipeline.toml:13:30: error: unknown key `heading` in `[normalize.labels.titles]`: use one \
         of `target`, `not_target`, `department`, `name_suffixes`, `footer`, `approval`, \
         `page_chrome`"
            .to_string(),
    ];
    assert_eq!(errors(&text), expected.join("\n"));
}

#[test]
fn output_directory_is_required() {
    assert_eq!(
        errors(&HEAD.replace("directory = \"o\"", "directory = \"\"")),
        "pipeline.toml:7:13: error: `directory` is empty: write the output folder, e.g. `directory = \"out\"`"
    );
    assert_eq!(
        errors(&HEAD.replace("[output]\ndirectory = \"o\"\n", "")),
        "pipeline.toml:1:1: error: missing `[output]` section: add `[output]` with `directory = \"out\"`"
    );
}

#[test]
fn jobs_is_bounded() {
    let msg = |n: &str| {
        format!(
            "pipeline.toml:9:8: error: `jobs` is {n}: use 0 (all cores), 1 (serial) or a thread \
             count up to 256"
        )
    };
    assert_eq!(errors(&format!("{HEAD}[run]\njobs = 257\n")), msg("257"));
    assert_eq!(errors(&format!("{HEAD}[run]\njobs = -1\n")), msg("-1"));
    assert_eq!(
        ok(&format!("{HEAD}[run]\njobs = 256\n")).run.jobs,
        Some(256)
    );
}

#[test]
fn unknown_fields_and_sections_are_located() {
    assert_eq!(
        errors(&HEAD.replace("year = 2024", "year = 2024\nyaer = 2024")),
        "pipeline.toml:4:1: error: unknown field `yaer`, expected one of `name`, `year`, `as_of`, \
         `jurisdiction`"
    );
    assert_eq!(
        errors(&format!("{HEAD}[outputs]\nx = 1\n")),
        "pipeline.toml:8:2: error: unknown section `outputs`: expected one of `pipeline`, \
         `inputs`, `limits`, `normalize`, `output`, `run`, `scoring`, `render`"
    );
    assert_eq!(
        errors(&format!(
            "{HEAD}[scoring]\nbands = {{ excellent = 90, bogus = 1 }}\n"
        )),
        "pipeline.toml:9:27: error: unknown field `bogus`, expected one of `excellent`, `good`, `fair`"
    );
}

#[test]
fn wrong_types_and_missing_keys_are_located() {
    assert_eq!(
        errors(&HEAD.replace("year = 2024\n", "")),
        "pipeline.toml:1:1: error: missing field `year`"
    );
    assert_eq!(
        errors(&HEAD.replace("year = 2024", "year = \"2024\"")),
        "pipeline.toml:3:8: error: invalid type: string \"2024\", expected i64"
    );
}

#[test]
fn syntax_errors_are_all_reported_and_stop_the_checks() {
    // Line 3 is also out of range, but a document that does not parse is not checked further.
    let text = HEAD.replace("year = 2024", "year = 1\nfoo = = 2\n[x");
    assert_eq!(
        errors(&text),
        "pipeline.toml:4:7: error: extra `=`, expected nothing\n\
         pipeline.toml:4:9: error: unexpected key or value, expected newline, `#`\n\
         pipeline.toml:5:3: error: unclosed table, expected `]`"
    );
}

#[test]
fn every_problem_in_every_section_is_reported_at_once() {
    let text = "[pipeline]\nname = \"t\"\nyear = 3000\nas_of = \"2024-00-01\"\n\
                [[inputs]]\npaths = [\"x\"]\nlayout = \"grid\"\n\
                [[inputs]]\npaths = [\"y\"]\nbogus = 1\n\
                [[inputs]]\npaths = []\n\
                [normalize.labels]\nlevel1 = { \"产出\" = [] }\n\
                [output]\ndirectory = \"\"\n[run]\njobs = 999\n";
    let got = errors(text);
    let lines: Vec<_> = got
        .lines()
        .map(|l| l.split(": error:").next().unwrap_or(""))
        .collect();
    assert_eq!(
        lines,
        [
            "pipeline.toml:3:8",
            "pipeline.toml:4:9",
            "pipeline.toml:7:10",
            "pipeline.toml:10:1",
            "pipeline.toml:12:9",
            "pipeline.toml:14:12",
            "pipeline.toml:16:13",
            "pipeline.toml:18:8",
        ],
        "{got}"
    );
}

#[test]
fn byte_order_mark_is_ignored_and_columns_count_characters() {
    // The parser skips a byte-order mark but counts it in its spans: line 1 would be off by one.
    let text = format!("\u{feff}{}", HEAD.replace("[pipeline]", "[pipelin]"));
    assert_eq!(
        errors(&text),
        "pipeline.toml:1:1: error: missing `[pipeline]` section: add `[pipeline]` with `name` and \
         `year` (the budget year)\n\
         pipeline.toml:1:2: error: unknown section `pipelin`: expected one of `pipeline`, `inputs`, `limits`, \
         `normalize`, `output`, `run`, `scoring`, `render`"
    );
    let text = format!("{HEAD}[[inputs]]\npaths = [\"项目\", \"\"]\n");
    assert_eq!(
        errors(&text),
        "pipeline.toml:9:16: error: empty path in `paths`: remove it or write a file or glob pattern"
    );
}

#[test]
fn load_tells_io_errors_from_invalid_files() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let missing = dir.path().join("missing.toml");
    assert!(matches!(
        crate::load(&missing),
        Err(crate::LoadError::Io { .. })
    ));
    let gbk = dir.path().join("gbk.toml");
    // "名称" in GBK: not UTF-8.
    std::fs::write(&gbk, b"[pipeline]\nname = \"\xc3\xfb\xb3\xc6\"\n")?;
    match crate::load(&gbk) {
        Err(crate::LoadError::Invalid(e)) => assert_eq!(
            e.to_string(),
            format!(
                "{}: error: the file is not UTF-8 text: save it as UTF-8 (Chinese editors often \
                 default to GBK)",
                gbk.display()
            )
        ),
        other => panic!("expected an invalid file, got {other:?}"),
    }
    let good = dir.path().join("pipeline.toml");
    std::fs::write(&good, HEAD)?;
    let p = crate::load(&good)?;
    assert_eq!(p.base_dir, dir.path());
    Ok(())
}

#[test]
fn money_unit_is_wan_or_yuan() {
    assert_eq!(
        errors(&format!("{HEAD}[normalize]\nmoney_unit = \"千元\"\n")),
        "pipeline.toml:9:14: error: `money_unit` is `万元` or `元`, not `千元`"
    );
    let p = ok(&format!("{HEAD}[normalize]\nmoney_unit = \"元\"\n"));
    assert_eq!(p.normalize.money_unit, crate::MoneyUnit::Yuan);
}

#[test]
fn limits_are_known_keys_with_positive_values() {
    let p = super::ok(&format!(
        "{HEAD}[limits]\nmax_cells = 1000\nmax_nesting = 64\n"
    ));
    assert_eq!(p.limits.max_cells, 1000);
    assert_eq!(p.limits.max_nesting, 64);
    assert_eq!(
        p.limits.max_file_bytes,
        jixiao_core::ReadLimits::default().max_file_bytes
    );
    let got = errors(&format!(
        "{HEAD}[limits]\nmax_cells = 0\nmax_rows = 5\nmax_nesting = -1\n"
    ));
    let n = HEAD.lines().count();
    assert_eq!(
        got,
        format!(
            "pipeline.toml:{}:13: error: `max_cells` is 0: a limit is a whole number from 1 to {}\n\
             pipeline.toml:{}:1: error: unknown key `max_rows` in [limits]: expected one of \
             `max_file_bytes`, `max_unpacked_bytes`, `max_cells`, `max_cell_chars`, `max_nesting`, \
             `max_pages`, `max_span`\n\
             pipeline.toml:{}:15: error: `max_nesting` is -1: a limit is a whole number from 1 to 100000",
            n + 2,
            i64::MAX,
            n + 3,
            n + 4
        )
    );
}

#[test]
fn a_plugin_is_a_library_or_a_command_with_a_sane_timeout() {
    let plugin = |body: &str| errors(&format!("{HEAD}[[scoring.plugins]]\n{body}\n"));
    assert_eq!(
        plugin("weight = 2"),
        "pipeline.toml:8:1: error: a plugin needs `path` (a shared library) or `command` (a program \
         speaking the JSON Lines protocol)"
    );
    assert_eq!(
        plugin("path = \"a.so\"\ncommand = [\"python3\"]"),
        "pipeline.toml:10:11: error: write either `path` (a shared library) or `command` (a \
         program), not both"
    );
    assert_eq!(
        plugin("command = []"),
        "pipeline.toml:9:11: error: `command` needs the program first, e.g. [\"python3\", \
         \"rules/my_rule.py\"]"
    );
    assert_eq!(
        plugin("command = [\"python3\", \"r.py\"]\nsha256 = \"ab\"\nisolation = \"in-process\""),
        "pipeline.toml:10:10: error: `sha256` pins a library (`path`); a command's script is not \
         pinned\npipeline.toml:11:13: error: a `command` plugin always runs in its own process; \
         `in-process` is for libraries"
    );
    assert_eq!(
        plugin("path = \"a.so\"\ntimeout_seconds = 0"),
        "pipeline.toml:10:19: error: `timeout_seconds` is a number of seconds above 0 and at most \
         3600, not 0"
    );
    assert_eq!(
        plugin("path = \"a.so\"\nisolation = \"sandbox\""),
        "pipeline.toml:10:13: error: unknown variant `sandbox`, expected `process` or `in-process`"
    );
}

#[test]
fn a_rule_selects_indicators_checks_their_values_and_says_why() {
    let rule = |body: &str| errors(&format!("{HEAD}[[scoring.rules]]\n{body}\n"));
    let good = "id = \"R1\"\ntitle = \"满意度\"\nlevel1 = \"满意度指标\"\nmin = 90\nunit = \"%\"\npoints = 2\nreason = \"低于90%\"";
    assert_eq!(
        ok(&format!("{HEAD}[[scoring.rules]]\n{good}\n"))
            .scoring
            .rules[0]
            .min,
        Some(90.0)
    );
    assert_eq!(
        rule(&good.replace("id = \"R1\"", "id = \"B3\"")),
        "pipeline.toml:9:6: error: `B3` has the shape of a built-in check id (A1 … D9): choose \
         another, such as \"R1\""
    );
    assert_eq!(
        rule(&good.replace("level1 = \"满意度指标\"", "level1 = \"满意指标\"")),
        "pipeline.toml:11:10: error: unknown variant `满意指标`, expected one of `产出指标`, \
         `效益指标`, `满意度指标`, `成本指标`"
    );
    assert_eq!(
        rule(&good.replace("min = 90\nunit = \"%\"\n", "")),
        "pipeline.toml:9:6: error: the rule checks nothing: give `min`, `max`, `unit`, \
         `direction`, or `required = true`"
    );
    assert_eq!(
        rule(&good.replace("level1 = \"满意度指标\"\n", "direction = \"≥\"\n")),
        "pipeline.toml:11:13: error: unknown variant `≥`, expected one of `>=`, `<=`, `=`, `>`, \
         `<`, `range`"
    );
    assert_eq!(
        rule(
            &good
                .replace("points = 2", "points = 0\npoints_each = 1")
                .replace("reason = \"低于90%\"", "reason = \" \"")
        ),
        "pipeline.toml:14:10: error: `points` is 0: a number above 0 and at most 100\n\
         pipeline.toml:15:15: error: `points_each` is 1: above 0 and at most `points`\n\
         pipeline.toml:16:10: error: `reason` is empty: every deduction must say why"
    );
    assert_eq!(
        rule(&format!("{good}\nmax = 80")),
        "pipeline.toml:16:7: error: `max` 80 is below `min` 90"
    );
}

#[test]
fn resubmit_by_is_a_real_date() {
    assert_eq!(
        errors(&format!("{HEAD}[render]\nresubmit_by = \"2024-02-30\"\n")),
        "pipeline.toml:9:15: error: `resubmit_by` is \"2024-02-30\": day 30 does not exist (2024-02 has 29 days)"
    );
}
