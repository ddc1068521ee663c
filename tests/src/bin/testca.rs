//! Writes a test region CA and a server certificate it issued for `localhost` into a
//! directory (`ca.pem`, `server.pem`, `server.key`), for `bindings/tests/run-kotlin` to serve
//! HTTPS on 127.0.0.1 and the Kotlin sync test to pin the CA. Test use only.

#![allow(clippy::expect_used)]

use safeshare_tests::TestCa;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: testca <dir>"));
    std::fs::create_dir_all(&dir).expect("create the directory");
    let ca = TestCa::new("SafeShare test region CA");
    ca.issue(&dir, "server", &["localhost"], false);
    std::fs::write(dir.join("ca.pem"), ca.pem()).expect("write ca.pem");
}
