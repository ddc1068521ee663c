//! `safeshare-server`: the regional sync server binary (issue 7 builds it).

fn main() {}
