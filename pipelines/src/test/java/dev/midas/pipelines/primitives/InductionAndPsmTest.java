package dev.midas.pipelines.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class InductionAndPsmTest {
  @Test
  void inductionAnswerIsTheWordThatFollowedTheRepeatedRunTheFirstTime() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int trial = 0; trial < 200; trial++) {
      PrimitiveTask.Instance inst = InductionCopying.generate(rng);
      String[] lines = inst.prompt().split("\n");
      List<String> words = Arrays.asList(lines[lines.length - 2].split(" "));
      List<String> first = words.subList(0, InductionCopying.LENGTH);
      List<String> repeat = words.subList(InductionCopying.LENGTH, words.size());
      assertThat(first).doesNotHaveDuplicates();
      assertThat(repeat.size()).isBetween(2, 4);
      int start = first.indexOf(repeat.get(0));
      assertThat(first.subList(start, start + repeat.size())).isEqualTo(repeat);
      assertThat(inst.answer()).isEqualTo(first.get(start + repeat.size()));
      assertThat(inst.candidates()).containsExactlyInAnyOrderElementsOf(first);
      assertThat(first).allSatisfy(w -> assertThat(w).matches("[a-z]{2,3}"));
    }
  }

  @Test
  void preschoolMathResolvesOneSingleDigitFactWithinZeroToEighteen() {
    SplittableRandom rng = new SplittableRandom(11);
    Pattern fact =
        Pattern.compile("([A-Z]) = (\\d) ([+-]) (\\d)\nWhat is the numerical value of ([A-Z])\\?");
    boolean sawMinus = false;
    boolean sawPlus = false;
    for (int trial = 0; trial < 300; trial++) {
      PrimitiveTask.Instance inst = PreschoolMath.generate(rng);
      Matcher m = fact.matcher(inst.prompt());
      assertThat(m.find()).as(inst.prompt()).isTrue();
      assertThat(m.group(5)).isEqualTo(m.group(1));
      int a = Integer.parseInt(m.group(2));
      int b = Integer.parseInt(m.group(4));
      boolean plus = m.group(3).equals("+");
      sawPlus |= plus;
      sawMinus |= !plus;
      int answer = plus ? a + b : a - b;
      assertThat(Integer.parseInt(inst.answer())).isEqualTo(answer).isBetween(0, 18);
      assertThat(inst.candidates()).hasSize(19).contains(inst.answer());
    }
    assertThat(sawPlus && sawMinus).isTrue();
  }
}
