//! The consumed-licenses analysis on 1,000,000 people (the emulator's data set),
//! in process: no HTTP, only `analyze`.
//!
//! `cargo bench --bench report`. The end-to-end run through the emulator, with
//! peak memory: `docgate emulate --users 1000000` and
//! `/usr/bin/time -v docgate sync --ghec-url … report --out 1m.csv`.

use std::sync::LazyLock;

use docgate::emulator::users::user;
use docgate::sync::report::{Person, analyze};

static PEOPLE: LazyLock<Vec<Person>> = LazyLock::new(|| {
    (0..1_000_000)
        .map(|i| Person::from(&user(i, "ghes.example.com")))
        .collect()
});

fn main() {
    LazyLock::force(&PEOPLE);
    divan::main();
}

#[divan::bench(sample_count = 5)]
fn analyze_1m_people() {
    let a = analyze(&PEOPLE, 1_000_000, 900_000);
    assert_eq!(a.suspects.len(), 150_000);
    divan::black_box(a);
}
