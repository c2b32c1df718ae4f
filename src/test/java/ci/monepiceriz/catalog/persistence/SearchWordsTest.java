package ci.monepiceriz.catalog.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SearchWordsTest {

	@Test
	void keepsWordsOfThreeLettersOrMoreThatAreNotFunctionWords() {
		assertThat(SearchWords.significant("Huile de palme")).containsExactly("huile", "palme");
		assertThat(SearchWords.significant("riz  parfumé, 5 kg")).containsExactly("riz", "parfumé");
		assertThat(SearchWords.significant("épices pour poisson")).containsExactly("épices", "poisson");
		assertThat(SearchWords.significant("de la")).isEmpty();
	}

	@Test
	void foldsAccentsLigaturesAndCase() {
		assertThat(SearchWords.fold("Épices & Condiments")).isEqualTo("epices & condiments");
		assertThat(SearchWords.fold("Attiéké, bœuf, maïs, façon crème brûlée"))
			.isEqualTo("attieke, boeuf, mais, facon creme brulee");
	}

	@Test
	void escapesLikeWildcards() {
		assertThat(SearchWords.escapeLike("100% pur_jus \\ x")).isEqualTo("100\\% pur\\_jus \\\\ x");
	}

	@Test
	void keepsEachWordOnceAndAtMostSix() {
		assertThat(SearchWords.significant("riz riz riz")).containsExactly("riz");
		assertThat(SearchWords.significant("un deux trois quatre cinq sixieme septieme huitieme"))
			.hasSize(SearchWords.MAX_WORDS);
	}

}
