// A small embedded list of common given names (English, German, French, Spanish, Italian, a few others) for the
// person-name heuristic. It is deliberately short: it finds "Jane Doe" in prose, not every name in the world.
export const FIRST_NAMES: ReadonlySet<string> = new Set(
  `James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark
  Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary
  Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond
  Jack Dennis Jerry Tyler Aaron Henry Peter Adam Nathan Zachary Kyle Walter Harold Carl Arthur Lawrence Sean Ethan
  Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley
  Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy
  Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet
  Catherine Maria Heather Diane Julie Joyce Victoria Kelly Christina Lauren Joan Evelyn Olivia Judith Megan Cheryl
  Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison Doris Abigail
  Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany Natalie Isabella
  Charlotte Rose Alexis Kayla Jane Alan Bob Chen Dana Eve Farid Omar Ali Ahmed Fatima Aisha Mohammed Priya Raj
  Ravi Arjun Wei Li Yuki Hiroshi Kenji Mei Sofia Lucia Carlos Juan Luis Jose Miguel Javier Diego Pablo Alejandro
  Carmen Elena Isabel Pedro Antonio Manuel Francisco Marco Giuseppe Giovanni Luca Matteo Francesca Giulia Chiara
  Pierre Jean Louis Michel Philippe Nicolas Julien Camille Claire Sophie Chloe Manon Léa Lea Hugo Lucas Mathieu
  Thomas Hans Klaus Jürgen Juergen Stefan Andreas Wolfgang Uwe Frank Markus Tobias Lukas Felix Maximilian Jonas
  Leon Paul Anna Lena Laura Julia Katrin Sabine Petra Ursula Monika Birgit Claudia Susanne Heike Anke Jana Jens
  Lars Sven Nils Erik Ingrid Astrid Olaf Ivan Dmitri Olga Natasha Tatiana Sergei Vladimir Piotr Katarzyna Agnieszka`
    .split(/\s+/)
    .filter((n) => n !== ''),
);

/** Capitalised words that follow a given name without being a surname ("Jane Street" is fine, "Grace Period" not). */
export const NOT_SURNAMES: ReadonlySet<string> = new Set(
  `The A An And Or But If In On At To For Of By With From As Is Are Was Were Be Been Has Have Had Do Does Did Will
  Would Can Could Should May Might Must I We You He She They It This That These Those My Your Our Their His Her
  Support Team Corp Inc Ltd LLC GmbH Street St Road Avenue Ave Lane Drive Boulevard Square Park Plaza Hall Center
  Centre Hotel Hospital School University College Bank Group Company Services Service Store Shop Airport Station
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
  September October November December Period Care Plus Pro Plan Policy Terms FAQ Hello Hi Thanks Thank Dear Please
  Sorry Yes No Ok Okay Here There Today Tomorrow Yesterday Morning Evening Night Day Week Month Year`
    .split(/\s+/)
    .filter((n) => n !== ''),
);
