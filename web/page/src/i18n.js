// The page's words in Polish and English. Elements carry data-i18n (their
// text), data-i18n-label (aria-label), data-i18n-title (title) or
// data-i18n-placeholder; translate() fills them all, and t() gives one
// word to the code that writes the rest.

import { measureExplanations, measureLabels } from './measures.gen.js';
import { vocabulary } from './vocabulary.js';

export const languages = ['pl', 'en'];

const words = {
  en: {
    'app.title': 'coopgraph — the cooperation network of Małopolska',
    'app.tagline': 'Cooperation network of Małopolska',
    'skip': 'Skip to the panel',
    'lang.label': 'Language',
    'search.label': 'Find an entity',
    'search.placeholder': 'Find a region, network, project, organisation…',
    'search.none': 'Nothing found for “{text}”',
    'stage.title': 'Network',
    'view.label': 'Show the network as',
    'view.graph': 'Graph',
    'view.list': 'List',
    'colour.label': 'Colour by',
    'colour.kind': 'Kind',
    'colour.community': 'Community',
    'size.label': 'Size by',
    'fit': 'Fit to screen',
    'expand': 'Expand neighbours',
    'expand.title': 'Add the neighbours of the selected entity to the view',
    'clear': 'Clear view',
    'export.label': 'Export',
    'export.png': 'PNG',
    'export.graphml': 'GraphML',
    'export.gexf': 'GEXF',
    'export.csv': 'CSV',
    'graph.label': 'Network graph. Arrow keys pan, + and − zoom, 0 fits the network to the screen; the list view shows the same entities as a table.',
    'graph.nowebgl': 'This browser cannot draw the graph (no WebGL): the list view shows the same entities.',
    'status.whole': '{entities} and {relations}: the whole network.',
    'count.entities.one': '{n} entity',
    'count.entities.other': '{n} entities',
    'count.relations.one': '{n} relation',
    'count.relations.other': '{n} relations',
    'status.part.one': 'Showing {shown} of {n} entity and {relations}. Search for an entity to start, then expand its neighbours.',
    'status.part.other': 'Showing {shown} of {n} entities and {relations}. Search for an entity to start, then expand its neighbours.',
    'status.loading': 'Loading…',
    'status.layout': 'Arranging the network…',
    'start.large': 'This network has {entities}: too many to draw at once. Search for an entity above to start, then expand its neighbours.',
    'legend.title': 'Legend',
    'legend.size': 'Size: {measure}',
    'legend.community': 'Community {i}',
    'legend.others': 'Other communities',
    'labels.label': 'Labels',
    'labels.sparse': 'Few',
    'labels.some': 'Some',
    'labels.every': 'All',
    'tools.toggle': 'View options',
    'picture.whole': 'The cooperation network of Małopolska',
    'picture.part': '{entities} of the cooperation network of Małopolska',
    'picture.selection': '{name} and its partners',
    'picture.path': 'Paths from {from} to {to}',
    'picture.counts': '{entities} and {relations} shown',
    'picture.made': 'Made with coopgraph',
    'list.caption': 'The entities in view',
    'list.name': 'Name',
    'list.kind': 'Kind',
    'list.score': 'Score',
    'list.community': 'Community',
    'list.links': 'Relations in view',
    'tabs.label': 'Panels',
    'tab.details': 'Details',
    'tab.path': 'Path finder',
    'tab.rankings': 'Rankings',
    'tab.partners': 'Partners',
    'details.empty': 'Select an entity in the graph, the list or the search to see its details.',
    'details.aliases': 'Also known as',
    'details.kind': 'Kind',
    'details.properties': 'Properties',
    'details.facts': 'Sourced facts',
    'details.relations': 'Relations',
    'details.more': '{shown} of {total} relations shown.',
    'details.source': 'Source',
    'details.documents': 'Mentioned in',
    'details.records.one': 'Made from {n} record',
    'details.records.other': 'Made from {n} records',
    'details.recordKept': 'its id and name come from this record',
    'details.recordSource': 'source',
    'details.recordPlace': 'place',
    'details.recordRule': 'merged by',
    'details.pathFrom': 'Path from here',
    'details.pathTo': 'Path to here',
    'details.partners': 'Partners',
    'path.from': 'From',
    'path.to': 'To',
    'path.swap': 'Swap',
    'path.options': 'Options',
    'path.k': 'Alternatives (k shortest paths)',
    'path.maxHops': 'At most hops',
    'path.avoid': 'Avoid entity',
    'path.year': 'Active in year',
    'path.types': 'Relation types',
    'path.types.all': 'All types',
    'path.types.default': 'None ticked: every type but located in, part of and funded by, which join everything.',
    'path.find': 'Find paths',
    'path.clear': 'Clear',
    'path.shortest.one': 'The shortest path ({hops})',
    'path.shortest.other': 'All shortest paths ({n}, {hops} each)',
    'path.shortestMany': '{paths} of {hops} through {entities} (the first {m} listed; Highlight shows them all)',
    'path.alternatives': 'Alternatives: the {paths}',
    'count.shortestPaths.one': '{n} shortest path',
    'count.shortestPaths.other': '{n} shortest paths',
    'path.none': 'No path within these options.',
    'path.need': 'Choose two entities.',
    'path.hops.one': '{n} hop',
    'path.hops.other': '{n} hops',
    'path.show': 'Highlight',
    'path.entityPlaceholder': 'Type a name…',
    'rankings.measure': 'Measure',
    'rankings.kind': 'Kind',
    'rankings.allKinds': 'All kinds',
    'rankings.rank': 'Rank',
    'rankings.name': 'Name',
    'rankings.kindCol': 'Kind',
    'rankings.score': 'Score',
    'partners.empty': 'Select an entity to see who it partners with.',
    'partners.caption': 'Partners of {name} through shared projects, networks, events and agreements',
    'partners.partner': 'Partner',
    'partners.count': 'Shared',
    'partners.contexts': 'Shared projects and networks',
    'partners.none': 'No partners through shared projects, networks, events or agreements.',
    'rankings.caption.one': 'The top entity by {measure}',
    'rankings.caption.other': 'Top {n} of {total} by {measure}',
    'rankings.about': 'What it measures:',
    'rankings.approx': 'Approximate: every score within ±{epsilon} (probability ≥ {p}); the exact ranking is being computed.',
    'rankings.approx.update': 'This table will update itself when the exact ranking is ready.',
    'rankings.checked': 'Last asked the server at {time}: not ready yet.',
    'rankings.approx.order': 'Entities whose scores differ by less than ±{epsilon} may swap places in the exact ranking.',
    'rankings.scoreApprox': 'Score ± {epsilon}',
    'rankings.updated': 'Updated at {time}: this is now the exact ranking.',
    'rankings.working.one': 'The server is computing the ranking by {measure} over {n} entity: on a large network this can take a while.',
    'rankings.working.other': 'The server is computing the ranking by {measure} over {n} entities: on a large network this can take a while.',
    'rankings.elapsed': 'Waiting {elapsed} so far.',
    'rankings.cancelled': 'Cancelled: the ranking by {measure} was not shown.',
    'rankings.waiting': 'The server is still computing the exact ranking by {measure} in the background: this tab will show it as soon as it is ready.',
    'rankings.sizeBy': 'Size the graph by {measure}',
    'cancel': 'Cancel',
    'retry': 'Try again',
    'seconds.one': '{n} second',
    'seconds.other': '{n} seconds',
    'minutes.one': '{n} minute',
    'minutes.other': '{n} minutes',
    'rankings.expected': 'The exact ranking is {done}% computed and expected in about {in}.',
    'rankings.expected.running': 'The exact ranking is {done}% computed.',
    'rankings.expected.queued': 'Its computation has not started yet: other rankings are computed first.',
    'busy.paths': 'Finding the paths',
    'busy.scores': 'Sizing the entities in view by {measure}',
    'busy.communities': 'Finding the communities',
    'busy.note': '{what}: this can take a while.',
    'busy.elapsed': '({elapsed} so far)',
    'error': '{message} (error {code})',
    'hint.UNAVAILABLE': 'The server is busy, or the answer takes longer than a request may: try again in a moment, or ask for less (a cheaper measure such as Degree or PageRank; through the API, a sampled or approximate answer with samples or epsilon).',
    'hint.retryAfter': 'The server suggests trying again in {elapsed}.',
    'hint.LIMIT_EXCEEDED': 'The answer would be larger than the server allows: ask for less.',
    'hint.NOT_FOUND': 'It may have left the network since this page was loaded: reload the page.',
    'hint.NETWORK': 'The server cannot be reached: check that it is running and the connection, then try again.',
    'hint.INTERNAL': 'An error in the server: its log says more.',
    'error.noGraph': 'No graph is drawn: switch to the graph view to export a PNG.',
    'error.noPNG': 'The browser made no PNG of the graph.',
    'error.viewFull': 'The view would hold {entities}, more than the {max} it can show: clear the view or expand fewer neighbours.',
    'licences': 'Licences',
    'credits': 'Data',
    'api': 'GraphQL API',
    'playground': 'Playground',
    'dates.since': 'since {d}',
    'dates.until': 'until {d}',
    'kind.Region': 'Region',
    'kind.Country': 'Country',
    'kind.City': 'City',
    'kind.Network': 'Network',
    'kind.Project': 'Project',
    'kind.Organisation': 'Organisation',
    'kind.Programme': 'Programme',
    'kind.Person': 'Person',
    'kind.Agreement': 'Agreement',
    'kind.Event': 'Event',
    'kind.Strategy': 'Strategy',
    'rel.MEMBER_OF': 'member of',
    'rel.PARTICIPATES_IN': 'participates in',
    'rel.FUNDED_BY': 'funded by',
    'rel.PART_OF': 'part of',
    'rel.LOCATED_IN': 'located in',
    'rel.FOUNDED': 'founded',
    'rel.SIGNED': 'signed',
    'rel.COOPERATES_WITH': 'cooperates with',
    'rel.REPRESENTS': 'represents',
    'rel.WORKS_FOR': 'works for',
    'rel.ORGANISED': 'organised',
    'rel.PRESENTED': 'presented',
    'rel.CONCERNS': 'concerns',
    'rel.SUPPORTS': 'supports',
  },
  pl: {
    'app.title': 'coopgraph — sieć współpracy Małopolski',
    'app.tagline': 'Sieć współpracy Małopolski',
    'skip': 'Przejdź do panelu',
    'lang.label': 'Język',
    'search.label': 'Znajdź podmiot',
    'search.placeholder': 'Znajdź region, sieć, projekt, organizację…',
    'search.none': 'Nic nie znaleziono dla „{text}”',
    'stage.title': 'Sieć',
    'view.label': 'Pokaż sieć jako',
    'view.graph': 'Graf',
    'view.list': 'Lista',
    'colour.label': 'Kolor według',
    'colour.kind': 'Rodzaju',
    'colour.community': 'Społeczności',
    'size.label': 'Wielkość według',
    'fit': 'Dopasuj do ekranu',
    'expand': 'Rozwiń sąsiadów',
    'expand.title': 'Dodaj do widoku sąsiadów wybranego podmiotu',
    'clear': 'Wyczyść widok',
    'export.label': 'Eksport',
    'export.png': 'PNG',
    'export.graphml': 'GraphML',
    'export.gexf': 'GEXF',
    'export.csv': 'CSV',
    'graph.label': 'Graf sieci. Strzałki przesuwają, + i − przybliżają i oddalają, 0 dopasowuje sieć do ekranu; widok listy pokazuje te same podmioty jako tabelę.',
    'graph.nowebgl': 'Ta przeglądarka nie potrafi narysować grafu (brak WebGL): widok listy pokazuje te same podmioty.',
    'status.whole': '{entities} i {relations}: cała sieć.',
    'count.entities.one': '{n} podmiot',
    'count.entities.few': '{n} podmioty',
    'count.entities.many': '{n} podmiotów',
    'count.entities.other': '{n} podmiotu',
    'count.relations.one': '{n} relacja',
    'count.relations.few': '{n} relacje',
    'count.relations.many': '{n} relacji',
    'count.relations.other': '{n} relacji',
    'status.part.one': 'Na ekranie: {shown} z {n} podmiotu i {relations}. Wyszukaj podmiot, a potem rozwijaj jego sąsiadów.',
    'status.part.few': 'Na ekranie: {shown} z {n} podmiotów i {relations}. Wyszukaj podmiot, a potem rozwijaj jego sąsiadów.',
    'status.part.many': 'Na ekranie: {shown} z {n} podmiotów i {relations}. Wyszukaj podmiot, a potem rozwijaj jego sąsiadów.',
    'status.part.other': 'Na ekranie: {shown} z {n} podmiotu i {relations}. Wyszukaj podmiot, a potem rozwijaj jego sąsiadów.',
    'status.loading': 'Wczytywanie…',
    'status.layout': 'Układanie sieci…',
    'start.large': 'Ta sieć ma {entities}: za dużo, by narysować je naraz. Wyszukaj podmiot powyżej, a potem rozwijaj jego sąsiadów.',
    'legend.title': 'Legenda',
    'legend.size': 'Wielkość: {measure}',
    'legend.community': 'Społeczność {i}',
    'legend.others': 'Pozostałe społeczności',
    'labels.label': 'Etykiety',
    'labels.sparse': 'Nieliczne',
    'labels.some': 'Niektóre',
    'labels.every': 'Wszystkie',
    'tools.toggle': 'Opcje widoku',
    'picture.whole': 'Sieć współpracy Małopolski',
    'picture.part': '{entities} z sieci współpracy Małopolski',
    'picture.selection': '{name} i partnerzy',
    'picture.path': 'Ścieżki: {from} → {to}',
    'picture.counts': 'Pokazano: {entities} i {relations}',
    'picture.made': 'Wykonano w coopgraph',
    'list.caption': 'Podmioty w widoku',
    'list.name': 'Nazwa',
    'list.kind': 'Rodzaj',
    'list.score': 'Wynik',
    'list.community': 'Społeczność',
    'list.links': 'Relacje w widoku',
    'tabs.label': 'Panele',
    'tab.details': 'Szczegóły',
    'tab.path': 'Ścieżki',
    'tab.rankings': 'Rankingi',
    'tab.partners': 'Partnerzy',
    'details.empty': 'Wybierz podmiot w grafie, na liście lub w wyszukiwarce, aby zobaczyć szczegóły.',
    'details.aliases': 'Inne nazwy',
    'details.kind': 'Rodzaj',
    'details.properties': 'Właściwości',
    'details.facts': 'Fakty ze źródłami',
    'details.relations': 'Relacje',
    'details.more': 'Pokazano {shown} z {total} relacji.',
    'details.source': 'Źródło',
    'details.documents': 'Wspomniany w',
    'details.records.one': 'Utworzony z {n} rekordu',
    'details.records.few': 'Utworzony z {n} rekordów',
    'details.records.many': 'Utworzony z {n} rekordów',
    'details.records.other': 'Utworzony z {n} rekordu',
    'details.recordKept': 'z tego rekordu pochodzą identyfikator i nazwa',
    'details.recordSource': 'źródło',
    'details.recordPlace': 'miejsce',
    'details.recordRule': 'połączony regułą',
    'details.pathFrom': 'Ścieżka stąd',
    'details.pathTo': 'Ścieżka dotąd',
    'details.partners': 'Partnerzy',
    'path.from': 'Od',
    'path.to': 'Do',
    'path.swap': 'Zamień',
    'path.options': 'Opcje',
    'path.k': 'Alternatywy (k najkrótszych ścieżek)',
    'path.maxHops': 'Najwyżej kroków',
    'path.avoid': 'Omiń podmiot',
    'path.year': 'Aktywne w roku',
    'path.types': 'Rodzaje relacji',
    'path.types.all': 'Wszystkie rodzaje',
    'path.types.default': 'Bez zaznaczenia: wszystkie rodzaje poza „położony w”, „część” i „finansowany przez”, które łączą wszystko ze wszystkim.',
    'path.find': 'Znajdź ścieżki',
    'path.clear': 'Wyczyść',
    'path.shortest.one': 'Najkrótsza ścieżka ({hops})',
    'path.shortest.few': 'Wszystkie najkrótsze ścieżki ({n}, każda: {hops})',
    'path.shortest.many': 'Wszystkie najkrótsze ścieżki ({n}, każda: {hops})',
    'path.shortest.other': 'Wszystkie najkrótsze ścieżki ({n}, każda: {hops})',
    'path.shortestMany': '{paths} (każda: {hops}) przez {entities} (pierwsze {m} na liście; Podświetl pokazuje wszystkie)',
    'path.alternatives': 'Alternatywy: {paths}',
    'count.shortestPaths.one': '{n} najkrótsza ścieżka',
    'count.shortestPaths.few': '{n} najkrótsze ścieżki',
    'count.shortestPaths.many': '{n} najkrótszych ścieżek',
    'count.shortestPaths.other': '{n} najkrótszej ścieżki',
    'path.none': 'Brak ścieżki przy tych opcjach.',
    'path.need': 'Wybierz dwa podmioty.',
    'path.hops.one': '{n} krok',
    'path.hops.few': '{n} kroki',
    'path.hops.many': '{n} kroków',
    'path.hops.other': '{n} kroku',
    'path.show': 'Podświetl',
    'path.entityPlaceholder': 'Wpisz nazwę…',
    'rankings.measure': 'Miara',
    'rankings.kind': 'Rodzaj',
    'rankings.allKinds': 'Wszystkie rodzaje',
    'rankings.rank': 'Miejsce',
    'rankings.name': 'Nazwa',
    'rankings.kindCol': 'Rodzaj',
    'rankings.score': 'Wynik',
    'partners.empty': 'Wybierz podmiot, aby zobaczyć jego partnerów.',
    'partners.caption': 'Partnerzy: {name} — przez wspólne projekty, sieci, wydarzenia i porozumienia',
    'partners.partner': 'Partner',
    'partners.count': 'Wspólne',
    'partners.contexts': 'Wspólne projekty i sieci',
    'partners.none': 'Brak partnerów przez wspólne projekty, sieci, wydarzenia lub porozumienia.',
    'rankings.caption.one': 'Pierwszy podmiot według miary: {measure}',
    'rankings.caption.few': 'Pierwsze {n} z {total} według miary: {measure}',
    'rankings.caption.many': 'Pierwszych {n} z {total} według miary: {measure}',
    'rankings.caption.other': 'Pierwsze {n} z {total} według miary: {measure}',
    'rankings.about': 'Co mierzy:',
    'rankings.approx': 'Przybliżenie: każdy wynik z dokładnością ±{epsilon} (z prawdopodobieństwem ≥ {p}); dokładny ranking jest w trakcie obliczania.',
    'rankings.approx.update': 'Ta tabela sama się odświeży, gdy dokładny ranking będzie gotowy.',
    'rankings.checked': 'Ostatnio zapytano serwer o {time}: jeszcze nie gotowy.',
    'rankings.approx.order': 'Podmioty, których wyniki różnią się o mniej niż ±{epsilon}, mogą w dokładnym rankingu zamienić się miejscami.',
    'rankings.scoreApprox': 'Wynik ± {epsilon}',
    'rankings.updated': 'Odświeżono o {time}: to jest już dokładny ranking.',
    'rankings.working.one': 'Serwer oblicza ranking według miary „{measure}” dla {n} podmiotu: w dużej sieci może to chwilę potrwać.',
    'rankings.working.few': 'Serwer oblicza ranking według miary „{measure}” dla {n} podmiotów: w dużej sieci może to chwilę potrwać.',
    'rankings.working.many': 'Serwer oblicza ranking według miary „{measure}” dla {n} podmiotów: w dużej sieci może to chwilę potrwać.',
    'rankings.working.other': 'Serwer oblicza ranking według miary „{measure}” dla {n} podmiotu: w dużej sieci może to chwilę potrwać.',
    'rankings.elapsed': 'Czekamy już {elapsed}.',
    'rankings.cancelled': 'Anulowano: ranking według miary „{measure}” nie został pokazany.',
    'rankings.waiting': 'Serwer wciąż oblicza w tle dokładny ranking według miary „{measure}”: ta karta pokaże go, gdy tylko będzie gotowy.',
    'rankings.sizeBy': 'Ustaw wielkość w grafie według miary „{measure}”',
    'cancel': 'Anuluj',
    'retry': 'Spróbuj ponownie',
    'seconds.one': '{n} sekundę',
    'seconds.few': '{n} sekundy',
    'seconds.many': '{n} sekund',
    'seconds.other': '{n} sekundy',
    'minutes.one': '{n} minutę',
    'minutes.few': '{n} minuty',
    'minutes.many': '{n} minut',
    'minutes.other': '{n} minuty',
    'rankings.expected': 'Dokładny ranking jest policzony w {done}% i spodziewany za około {in}.',
    'rankings.expected.running': 'Dokładny ranking jest policzony w {done}%.',
    'rankings.expected.queued': 'Jego liczenie jeszcze się nie zaczęło: najpierw liczone są inne rankingi.',
    'busy.paths': 'Szukanie ścieżek',
    'busy.scores': 'Ustalanie wielkości podmiotów w widoku według miary „{measure}”',
    'busy.communities': 'Wyznaczanie społeczności',
    'busy.note': '{what}: to może chwilę potrwać.',
    'busy.elapsed': '(trwa już {elapsed})',
    'error': '{message} (błąd {code})',
    'hint.UNAVAILABLE': 'Serwer jest zajęty albo odpowiedź trwa dłużej, niż może trwać zapytanie: spróbuj za chwilę albo poproś o mniej (tańsza miara, np. Stopień lub PageRank; przez API odpowiedź z próby lub przybliżona: samples lub epsilon).',
    'hint.retryAfter': 'Serwer proponuje spróbować ponownie za {elapsed}.',
    'hint.LIMIT_EXCEEDED': 'Odpowiedź byłaby większa, niż serwer pozwala: poproś o mniej.',
    'hint.NOT_FOUND': 'Mógł zniknąć z sieci po wczytaniu tej strony: odśwież stronę.',
    'hint.NETWORK': 'Nie można połączyć się z serwerem: sprawdź, czy działa, i połączenie, a potem spróbuj ponownie.',
    'hint.INTERNAL': 'Błąd serwera: więcej mówi jego dziennik.',
    'error.noGraph': 'Graf nie jest narysowany: przełącz na widok grafu, aby wyeksportować PNG.',
    'error.noPNG': 'Przeglądarka nie utworzyła pliku PNG z grafu.',
    'error.viewFull': 'Widok miałby {entities}, więcej niż {max}, które może pokazać: wyczyść widok albo rozwiń mniej sąsiadów.',
    'licences': 'Licencje',
    'credits': 'Dane',
    'api': 'API GraphQL',
    'playground': 'Konsola',
    'dates.since': 'od {d}',
    'dates.until': 'do {d}',
    'kind.Region': 'Region',
    'kind.Country': 'Państwo',
    'kind.City': 'Miasto',
    'kind.Network': 'Sieć',
    'kind.Project': 'Projekt',
    'kind.Organisation': 'Organizacja',
    'kind.Programme': 'Program',
    'kind.Person': 'Osoba',
    'kind.Agreement': 'Porozumienie',
    'kind.Event': 'Wydarzenie',
    'kind.Strategy': 'Strategia',
    'rel.MEMBER_OF': 'członek',
    'rel.PARTICIPATES_IN': 'uczestniczy w',
    'rel.FUNDED_BY': 'finansowany przez',
    'rel.PART_OF': 'część',
    'rel.LOCATED_IN': 'położony w',
    'rel.FOUNDED': 'założył',
    'rel.SIGNED': 'podpisał',
    'rel.COOPERATES_WITH': 'współpracuje z',
    'rel.REPRESENTS': 'reprezentuje',
    'rel.WORKS_FOR': 'pracuje dla',
    'rel.ORGANISED': 'zorganizował',
    'rel.PRESENTED': 'przedstawił',
    'rel.CONCERNS': 'dotyczy',
    'rel.SUPPORTS': 'wspiera',
  },
};

// The measures' names come from the engine's registry (graph.Measures),
// written into measures.gen.js by go generate.
for (const lang of languages) {
  for (const [m, label] of Object.entries(measureLabels[lang] ?? {})) words[lang][`measure.${m}`] = label;
  for (const [m, text] of Object.entries(measureExplanations[lang] ?? {})) words[lang][`explain.${m}`] = text;
  Object.assign(words[lang], vocabulary[lang]); // the data's words (vocabulary.js)
}

let current = 'en';

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = languages.includes(lang) ? lang : 'en';
  document.documentElement.lang = current;
}

// t gives the word for key in the current language with {name} filled from
// args; an unknown key gives itself (a kind or type not in the vocabulary
// reads as it is written).
export function t(key, args = {}) {
  const s = words[current][key] ?? words.en[key];
  if (s === undefined) {
    const dot = key.indexOf('.');
    return dot >= 0 ? key.slice(dot + 1) : key;
  }
  return s.replace(/\{(\w+)\}/g, (_, name) => (name in args ? String(args[name]) : `{${name}}`));
}

// hasWord reports whether key is a word of the current language or of
// English (t's fallback), rather than a key t gives back as it is.
export function hasWord(key) {
  return words[current][key] !== undefined || words.en[key] !== undefined;
}

// plural gives the word for key in the form the current language uses
// for the count n (Intl.PluralRules: one, few, many, other…), with n
// written as the language writes numbers and the rest from args: the
// words are key.one, key.few…, key.other the fallback.
export function plural(key, n, args = {}) {
  const form = new Intl.PluralRules(locale()).select(n);
  const k = words[current][`${key}.${form}`] !== undefined ? `${key}.${form}` : `${key}.other`;
  return t(k, { ...args, n: number(n) });
}

// seconds writes a duration of ms milliseconds in whole seconds ("3
// seconds", "3 sekundy").
export function seconds(ms) {
  return plural('seconds', Math.max(1, Math.round(ms / 1000)));
}

// translate fills every element under root that names a word.
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  document.title = t('app.title');
}

// Numbers as the language writes them.
// Polish groups thousands from four digits too ("1 234,5"), not from five
// as CLDR's default.
export function number(x, digits) {
  const opts = digits === undefined ? { useGrouping: 'always' } : { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: 'always' };
  return new Intl.NumberFormat(locale(), opts).format(x);
}

// Numbers with at most digits fraction digits (0.05, not 0.0500).
export function decimal(x, digits) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, useGrouping: 'always' }).format(x);
}

// A time of day as the language writes it.
export function clock(date) {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
}

// A date as the language writes it ("7 December 2026", "7 grudnia 2026").
export function day(date) {
  return new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

function locale() {
  return current === 'pl' ? 'pl-PL' : 'en-GB';
}
