package ci.monepiceriz.ordering.domain;

/** Who ordered: a name, a phone in E.164, an optional email. */
public record Customer(String name, String phone, String email) {
}
