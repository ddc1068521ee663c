//! Fetches the NHS.UK frontend (npm `nhsuk-frontend`, pinned version and SHA-512) at build
//! time and prepares the files the console embeds, so no NHS.UK file is committed and nothing
//! is loaded from a CDN at run time.
//!
//! Steps: reuse `$SAFESHARE_NHSUK_TGZ` or a tarball already in OUT_DIR, else `npm pack` it
//! from the registry; check its SHA-512 against the pin; untar; rewrite the stylesheet's
//! absolute `/assets/` URLs to `/console/assets/` and drop its web-font URLs (the console's
//! Content-Security-Policy allows only its own origin; text falls back to Arial); write
//! `nhsuk_assets.rs`, a table of (path, content type, bytes) the server includes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = "10.6.1";
/// SHA-512 of `nhsuk-frontend-10.6.1.tgz` (the registry's `dist.integrity`, as hex).
const SHA512: &str = "3d9a2ba90663671fc0dbac89a2c9022fdcf489be80b64032174a382bf447afccd1ac9c97ad43829cc6e3cb454d5ec18ee2d7d334cc2a964c004cab386b4c5acb";

fn fail(message: String) -> ! {
    panic!("nhsuk-frontend build step: {message}");
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let output = cmd
        .output()
        .unwrap_or_else(|e| fail(format!("cannot run {cmd:?}: {e}")));
    if !output.status.success() {
        fail(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    output.stdout
}

fn tarball(out: &Path) -> PathBuf {
    println!("cargo:rerun-if-env-changed=SAFESHARE_NHSUK_TGZ");
    if let Ok(path) = std::env::var("SAFESHARE_NHSUK_TGZ") {
        return PathBuf::from(path);
    }
    let file = out.join(format!("nhsuk-frontend-{VERSION}.tgz"));
    if !file.exists() {
        run(Command::new("npm")
            .args(["pack", "--silent", &format!("nhsuk-frontend@{VERSION}")])
            .arg("--pack-destination")
            .arg(out));
    }
    file
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|e| fail(e.to_string())));
    let tgz = tarball(&out);
    let sum = String::from_utf8_lossy(&run(Command::new("sha512sum").arg(&tgz))).to_string();
    if !sum.starts_with(SHA512) {
        fail(format!(
            "{} does not have the pinned SHA-512",
            tgz.display()
        ));
    }
    let unpacked = out.join("nhsuk");
    std::fs::create_dir_all(&unpacked).unwrap_or_else(|e| fail(e.to_string()));
    run(Command::new("tar")
        .arg("xzf")
        .arg(&tgz)
        .arg("-C")
        .arg(&unpacked)
        .arg("package/dist/nhsuk/nhsuk-frontend.min.css")
        .arg("package/dist/nhsuk/assets/images"));
    let dist = unpacked.join("package/dist/nhsuk");
    let css = std::fs::read_to_string(dist.join("nhsuk-frontend.min.css"))
        .unwrap_or_else(|e| fail(e.to_string()));
    let css = css.replace("url(/assets/", "url(/console/assets/");
    let css = strip_font_urls(&css);
    let css_path = out.join("nhsuk-frontend.min.css");
    std::fs::write(&css_path, css).unwrap_or_else(|e| fail(e.to_string()));

    let mut table =
        String::from("/// NHS.UK frontend files: (path under assets/, content type, bytes).\n");
    table.push_str("pub static NHSUK_ASSETS: &[(&str, &str, &[u8])] = &[\n");
    let _ = writeln!(
        table,
        "    (\"nhsuk-frontend.min.css\", \"text/css; charset=utf-8\", include_bytes!({:?})),",
        css_path
    );
    let images = dist.join("assets/images");
    let mut names: Vec<String> = std::fs::read_dir(&images)
        .unwrap_or_else(|e| fail(e.to_string()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let kind = match name.rsplit('.').next() {
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            Some("ico") => "image/x-icon",
            _ => continue,
        };
        let _ = writeln!(
            table,
            "    (\"images/{name}\", \"{kind}\", include_bytes!({:?})),",
            images.join(&name)
        );
    }
    table.push_str("];\n");
    std::fs::write(out.join("nhsuk_assets.rs"), table).unwrap_or_else(|e| fail(e.to_string()));
}

/// Removes `src:` URLs that point off-site inside `@font-face` rules, keeping the rules
/// harmlessly empty (the browser then uses the fallback font without a CSP report).
fn strip_font_urls(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find("@font-face{") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        match after.find('}') {
            Some(end) => rest = &after[end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}
