package dev.midas.pipelines.primitives;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VariableAssignmentTest {
  private static final Pattern MATH_LINE = Pattern.compile("([a-z])=([a-z]|\\d+)");
  private static final Pattern CODE_LINE = Pattern.compile("([a-z]) = ([a-z]|\\d+)");

  @Test
  void mathVariantMatchesMidasLiteralExampleCharacterForCharacter() {
    String literal =
        """
        The following is a set of simple mathematical equations.

        n=22
        r=16
        l=25
        w=14
        k=16
        What is the numerical value of n?
        Answer: 22""";
    List<VariableAssignment.Assignment> lines =
        List.of(
            new VariableAssignment.Assignment("n", "22"),
            new VariableAssignment.Assignment("r", "16"),
            new VariableAssignment.Assignment("l", "25"),
            new VariableAssignment.Assignment("w", "14"),
            new VariableAssignment.Assignment("k", "16"));
    assertThat(VariableAssignment.math(lines, "n") + " " + "22").isEqualTo(literal);
  }

  @Test
  void codeVariantHasProgramBlankLineAndQuestion() {
    String prompt =
        VariableAssignment.code(List.of(new VariableAssignment.Assignment("n", "22")), "n");
    assertThat(prompt + " 22")
        .isEqualTo(
            "The following is a very short Python program. Use the program to resolve the value"
                + " of the variable in the question.\n\nProgram:\nn = 22\n\nQuestion:\n"
                + "What is the value of n?\nAnswer: 22");
  }

  @ParameterizedTest
  @CsvSource({"0,math", "1,math", "2,math", "0,code", "1,code", "2,code"})
  void aliasesReferOnlyToVariablesDefinedAboveAndTheAnswerResolves(int depth, String variant) {
    SplittableRandom rng = new SplittableRandom(depth * 31L + variant.length());
    for (int trial = 0; trial < 200; trial++) {
      PrimitiveTask.Instance inst = VariableAssignment.generate(rng, depth, variant);
      Pattern line = variant.equals("math") ? MATH_LINE : CODE_LINE;
      Map<String, Integer> value = new HashMap<>();
      Set<String> aliasTargets = new HashSet<>();
      int assignments = 0;
      for (String text : inst.prompt().split("\n")) {
        Matcher m = line.matcher(text);
        if (!m.matches()) {
          continue;
        }
        assignments++;
        String name = m.group(1);
        String rhs = m.group(2);
        assertThat(value).as("each variable is defined once").doesNotContainKey(name);
        if (rhs.chars().allMatch(Character::isDigit)) {
          assertThat(Integer.parseInt(rhs)).isBetween(1, 25);
          value.put(name, Integer.parseInt(rhs));
        } else {
          assertThat(value).as(name + "=" + rhs + " refers above").containsKey(rhs);
          assertThat(aliasTargets.add(rhs)).as("aliases name distinct variables").isTrue();
          value.put(name, value.get(rhs));
        }
      }
      assertThat(assignments).isEqualTo(5 * (depth + 1));
      Matcher q =
          Pattern.compile("What is the (?:numerical )?value of ([a-z])\\?").matcher(inst.prompt());
      assertThat(q.find()).isTrue();
      assertThat(Integer.toString(value.get(q.group(1)))).isEqualTo(inst.answer());
      assertThat(inst.candidates()).contains(inst.answer());
      assertThat(inst.prompt()).endsWith("\nAnswer:");
    }
  }
}
