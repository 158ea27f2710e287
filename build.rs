// The bundled content/, data/, translations/ and assets/ are embedded with include_dir;
// rebuild when a file is added or removed there, not only when one changes.
fn main() {
    for dir in ["content", "data", "translations", "assets"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
