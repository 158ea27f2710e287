// The bundled content/, data/ and translations/ are embedded with include_dir;
// rebuild when a file is added or removed there, not only when one changes.
fn main() {
    for dir in ["content", "data", "translations"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
