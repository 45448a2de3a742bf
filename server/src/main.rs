fn main() {
    eprintln!("tsdb-server: not built yet");
    std::process::exit(1);
}
