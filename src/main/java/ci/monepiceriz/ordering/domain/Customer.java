package ci.monepiceriz.ordering.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Who ordered: a name, a phone in E.164, an optional email. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Customer(String name, String phone, String email) {
}
