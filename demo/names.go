package demo

// area is a naming tradition shared by several countries.
type area int

const (
	anglo area = iota
	french
	germanic
	nordic
	southEurope
	hispanic
	lusophone
	slavic
	eeOther
	caucasus
	arabic
	persian
	turkish
	hebrew
	eastAfrica
	greatLakes
	horn
	westAfrica
	francophoneAfrica
	southernAfrica
	southAsia
	chinese
	japanese
	korean
	malay
	philippine
	vietnamese
	mainlandAsia
	pacific
	caribbean
)

// pool holds given names by gender and family names. Arabic entries carry
// their Arabic-script form after a "|" so that some names exercise RTL text.
type pool struct {
	women, men, family []string
	familyFirst        bool
}

var pools = [...]pool{
	anglo: {
		women:  []string{"Emily", "Sarah", "Jessica", "Hannah", "Olivia", "Rachel", "Megan", "Laura", "Catherine", "Grace", "Chloe", "Abigail", "Mary", "Siobhan", "Aroha"},
		men:    []string{"James", "Michael", "David", "Daniel", "Thomas", "Matthew", "Andrew", "Christopher", "Liam", "Benjamin", "Ryan", "Patrick", "William", "Joshua", "Nathan"},
		family: []string{"Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thompson", "Walker", "Murphy", "O'Brien", "Robinson", "Clarke", "Hughes", "Campbell", "Mitchell", "Baker", "Kelly", "Harris"},
	},
	french: {
		women:  []string{"Camille", "Léa", "Manon", "Chloé", "Inès", "Sophie", "Claire", "Juliette", "Élodie", "Margaux", "Amélie", "Nathalie", "Céline", "Isabelle"},
		men:    []string{"Lucas", "Hugo", "Louis", "Théo", "Nicolas", "Julien", "Antoine", "Mathieu", "Pierre", "Sébastien", "Guillaume", "François", "Olivier", "Jérôme"},
		family: []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Lefèvre", "Girard", "Fontaine", "Rousseau", "Lambert", "Dupont", "Mercier", "Peeters", "Jacobs", "Faure"},
	},
	germanic: {
		women:  []string{"Anna", "Lena", "Katharina", "Julia", "Laura", "Sophie", "Miriam", "Sabine", "Anja", "Johanna", "Femke", "Sanne", "Lotte", "Ursula"},
		men:    []string{"Lukas", "Jonas", "Felix", "Maximilian", "Tobias", "Stefan", "Matthias", "Florian", "Jan", "Daan", "Pieter", "Thijs", "Markus", "Andreas"},
		family: []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Keller", "Huber", "de Vries", "van Dijk", "Jansen", "Bakker", "Visser", "Gerber", "Brunner", "Vogel"},
	},
	nordic: {
		women:  []string{"Ingrid", "Astrid", "Sigrid", "Maja", "Elsa", "Nora", "Freja", "Aino", "Sofie", "Kristín", "Liv", "Karin", "Hanna", "Emma"},
		men:    []string{"Erik", "Lars", "Anders", "Magnus", "Henrik", "Olav", "Mikko", "Jukka", "Søren", "Gunnar", "Einar", "Oskar", "Rasmus", "Jóhann"},
		family: []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Jensen", "Nielsen", "Pedersen", "Korhonen", "Virtanen", "Mäkinen", "Lindqvist", "Berg", "Haugen", "Jónsson", "Sigurðardóttir"},
	},
	southEurope: {
		women:  []string{"Giulia", "Francesca", "Chiara", "Alessandra", "Martina", "Elena", "Maria", "Eleni", "Katerina", "Dimitra", "Sofia", "Federica", "Nicoletta", "Roberta"},
		men:    []string{"Marco", "Alessandro", "Luca", "Giovanni", "Matteo", "Andrea", "Francesco", "Giorgos", "Nikos", "Dimitris", "Konstantinos", "Paolo", "Stefano", "Joseph"},
		family: []string{"Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Papadopoulos", "Georgiou", "Nikolaou", "Christodoulou", "Camilleri", "Borg", "Vella", "Conti", "De Luca"},
	},
	hispanic: {
		women:  []string{"María", "Lucía", "Valentina", "Camila", "Sofía", "Daniela", "Gabriela", "Fernanda", "Paula", "Carolina", "Ximena", "Andrea", "Mariana", "Isabel", "Natalia"},
		men:    []string{"José", "Juan", "Carlos", "Luis", "Miguel", "Alejandro", "Diego", "Javier", "Andrés", "Santiago", "Mateo", "Sebastián", "Fernando", "Pablo", "Raúl"},
		family: []string{"García", "Rodríguez", "Martínez", "López", "González", "Hernández", "Pérez", "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Vargas", "Castro", "Morales", "Ortiz", "Rojas", "Mendoza", "Gutiérrez", "Silva"},
	},
	lusophone: {
		women:  []string{"Ana", "Beatriz", "Juliana", "Fernanda", "Larissa", "Mariana", "Gabriela", "Patrícia", "Luana", "Joana", "Inês", "Marta", "Isabela", "Conceição"},
		men:    []string{"João", "Pedro", "Lucas", "Gabriel", "Rafael", "Thiago", "Felipe", "Bruno", "Tiago", "Rodrigo", "Gustavo", "André", "Mateus", "Domingos"},
		family: []string{"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira", "Rodrigues", "Almeida", "Nascimento", "Lima", "Carvalho", "Ribeiro", "Gomes", "Martins", "Araújo", "Barbosa", "Cardoso", "Machava", "Tavares"},
	},
	slavic: {
		women:  []string{"Anna", "Olga", "Natalia", "Ekaterina", "Yulia", "Agnieszka", "Katarzyna", "Marta", "Tereza", "Ivana", "Milica", "Jelena", "Oksana", "Maja", "Petra"},
		men:    []string{"Ivan", "Dmitry", "Sergei", "Alexei", "Andriy", "Piotr", "Tomasz", "Michał", "Jakub", "Marek", "Nikola", "Stefan", "Luka", "Bojan", "Pavel"},
		family: []string{"Ivanov", "Petrov", "Smirnov", "Kuznetsova", "Popova", "Shevchenko", "Kovalenko", "Nowak", "Kowalski", "Wiśniewska", "Novák", "Svoboda", "Horvat", "Petrović", "Jovanović", "Nikolić", "Dimitrov", "Georgieva", "Kovač", "Zielińska"},
	},
	eeOther: {
		women:  []string{"Kadri", "Liis", "Ieva", "Laura", "Rūta", "Eszter", "Katalin", "Andreea", "Ioana", "Elena", "Mihaela", "Arta", "Blerta", "Dorina"},
		men:    []string{"Mart", "Andres", "Jānis", "Mindaugas", "Tomas", "Bence", "László", "Gábor", "Andrei", "Mihai", "Alexandru", "Arben", "Besnik", "Ion"},
		family: []string{"Tamm", "Saar", "Kask", "Bērziņš", "Kalniņa", "Kazlauskas", "Petrauskaitė", "Nagy", "Kovács", "Szabó", "Tóth", "Popescu", "Ionescu", "Dumitru", "Stan", "Hoxha", "Krasniqi", "Berisha", "Rusu", "Ciobanu"},
	},
	caucasus: {
		women:  []string{"Anahit", "Lilit", "Nino", "Tamar", "Aysel", "Leyla", "Aigerim", "Dana", "Gulnara", "Madina", "Dilnoza", "Nilufar", "Saule", "Oyuunaa"},
		men:    []string{"Armen", "Tigran", "Giorgi", "Levan", "Elchin", "Rashad", "Nursultan", "Daniyar", "Aibek", "Timur", "Rustam", "Farrukh", "Bakyt", "Bat-Erdene"},
		family: []string{"Hakobyan", "Sargsyan", "Grigoryan", "Beridze", "Kapanadze", "Gelashvili", "Mammadov", "Aliyeva", "Huseynov", "Nurlanov", "Akhmetova", "Seitkali", "Abdullaev", "Karimova", "Rakhimov", "Usmonov", "Toktogulov", "Ganbaatar", "Berdiyev", "Sultanova"},
	},
	arabic: {
		women:  []string{"Fatima|فاطمة", "Aisha|عائشة", "Mariam|مريم", "Nour|نور", "Layla|ليلى", "Yasmin|ياسمين", "Rania|رانيا", "Salma|سلمى", "Huda|هدى", "Amira|أميرة", "Dina|دينا", "Reem|ريم", "Hala|هالة", "Samira|سميرة", "Lina|لينا"},
		men:    []string{"Mohamed|محمد", "Ahmed|أحمد", "Omar|عمر", "Ali|علي", "Youssef|يوسف", "Khaled|خالد", "Hassan|حسن", "Karim|كريم", "Tarek|طارق", "Mahmoud|محمود", "Nabil|نبيل", "Sami|سامي", "Faisal|فيصل", "Hamza|حمزة", "Walid|وليد"},
		family: []string{"Haddad|حداد", "Mansour|منصور", "Khalil|خليل", "Saleh|صالح", "Nasser|ناصر", "Hamdan|حمدان", "Abdallah|عبد الله", "Ibrahim|إبراهيم", "Mahmoud|محمود", "Hussein|حسين", "El Amrani|العمراني", "Ben Salem|بن سالم", "Al-Harbi|الحربي", "Al-Qahtani|القحطاني", "Farouk|فاروق", "Said|سعيد", "Aziz|عزيز", "Othman|عثمان", "Rahman|رحمن", "Yassin|ياسين"},
	},
	persian: {
		women:  []string{"Maryam", "Zahra", "Fatemeh", "Shirin", "Parisa", "Nasrin", "Leila", "Roya", "Mahsa", "Farida", "Nazanin", "Soraya", "Mina", "Zarghona"},
		men:    []string{"Ali", "Reza", "Hossein", "Mehdi", "Amir", "Dariush", "Farhad", "Kaveh", "Omid", "Babak", "Ahmad", "Hamid", "Javad", "Wahid"},
		family: []string{"Hosseini", "Mohammadi", "Ahmadi", "Rezaei", "Karimi", "Moradi", "Jafari", "Rahimi", "Hashemi", "Sadeghi", "Tehrani", "Kazemi", "Amiri", "Naderi", "Popal", "Stanekzai", "Rahmani", "Sultani", "Azizi", "Noori"},
	},
	turkish: {
		women:  []string{"Ayşe", "Fatma", "Zeynep", "Elif", "Merve", "Esra", "Özlem", "Deniz", "Selin", "Ebru", "Gül", "Derya", "Burcu", "Pınar"},
		men:    []string{"Mehmet", "Mustafa", "Ahmet", "Emre", "Burak", "Can", "Murat", "Kemal", "Serkan", "Onur", "Barış", "Cem", "Hakan", "Oğuz"},
		family: []string{"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Polat", "Erdem", "Aksoy"},
	},
	hebrew: {
		women:  []string{"Noa", "Tamar", "Yael", "Shira", "Maya", "Michal", "Adi", "Rivka", "Talia", "Hila", "Dana", "Orly", "Ruth", "Lior"},
		men:    []string{"David", "Yosef", "Ariel", "Noam", "Itai", "Eitan", "Omer", "Amit", "Yonatan", "Avi", "Daniel", "Ron", "Uri", "Gal"},
		family: []string{"Cohen", "Levi", "Mizrahi", "Peretz", "Biton", "Friedman", "Katz", "Azoulay", "Ben-David", "Shapiro", "Goldberg", "Avraham", "Dahan", "Rosen", "Ohana", "Klein", "Shalom", "Amar", "Segal", "Weiss"},
	},
	eastAfrica: {
		women:  []string{"Wanjiru", "Akinyi", "Njeri", "Achieng", "Amina", "Neema", "Rehema", "Nakato", "Auma", "Zawadi", "Nyokabi", "Atieno", "Faith", "Mercy", "Halima", "Nyambura"},
		men:    []string{"Brian", "Kevin", "Baraka", "Juma", "Musa", "Emmanuel", "Kiprono", "Kibet", "Omondi", "Mwangi", "Peter", "Joseph", "Hassan", "Ssemakula", "Deng", "Salim"},
		family: []string{"Otieno", "Kamau", "Mwangi", "Wanjiku", "Njoroge", "Ochieng", "Kariuki", "Mutua", "Chebet", "Kiptoo", "Wambui", "Odhiambo", "Mbwana", "Mushi", "Nantongo", "Okello", "Mugisha", "Garang", "Makena", "Onyango", "Kimani", "Mollel"},
	},
	greatLakes: {
		women:  []string{"Uwase", "Mukamana", "Ingabire", "Umutoni", "Keza", "Iradukunda", "Ishimwe", "Gisele", "Divine", "Aline", "Josiane", "Nadine"},
		men:    []string{"Habimana", "Mugisha", "Nshuti", "Gatete", "Jean-Claude", "Eric", "Olivier", "Patrick", "Ndayishimiye", "Fabrice", "Innocent", "Yves"},
		family: []string{"Niyonzima", "Uwimana", "Mugabo", "Nsengiyumva", "Hakizimana", "Bizimana", "Ndikumana", "Nkurunziza", "Irakoze", "Manirakiza", "Mutabazi", "Murekatete", "Nyirahabimana", "Nzeyimana"},
	},
	horn: {
		women:  []string{"Tigist", "Meron", "Hiwot", "Bethlehem", "Selam", "Mahlet", "Saba", "Rahel", "Liya", "Eden", "Helen", "Feven"},
		men:    []string{"Tesfaye", "Dawit", "Abebe", "Yohannes", "Bereket", "Dereje", "Solomon", "Mulugeta", "Henok", "Biniam", "Samuel", "Kidane"},
		family: []string{"Bekele", "Girma", "Haile", "Tadesse", "Alemu", "Tesfaye", "Mekonnen", "Wolde", "Getachew", "Assefa", "Kebede", "Gebremedhin", "Tekle", "Hailemariam"},
	},
	westAfrica: {
		women:  []string{"Chiamaka", "Ngozi", "Adaeze", "Funmilayo", "Yetunde", "Aisha", "Zainab", "Abena", "Akosua", "Efua", "Fatmata", "Mariama", "Hauwa", "Blessing", "Comfort"},
		men:    []string{"Chinedu", "Emeka", "Oluwaseun", "Tunde", "Babajide", "Ibrahim", "Musa", "Kwame", "Kofi", "Yaw", "Kwabena", "Mohamed", "Samuel", "Ebrima", "Joseph"},
		family: []string{"Okafor", "Okonkwo", "Adeyemi", "Adebayo", "Oladipo", "Eze", "Nwosu", "Bello", "Abubakar", "Usman", "Mensah", "Owusu", "Boateng", "Asante", "Osei", "Kamara", "Sesay", "Koroma", "Jallow", "Ceesay", "Johnson", "Kollie"},
	},
	francophoneAfrica: {
		women:  []string{"Aminata", "Fatou", "Awa", "Mariam", "Aïssatou", "Adjoa", "Rokia", "Clarisse", "Nadège", "Grâce", "Esther", "Ornella", "Hery", "Kadiatou", "Safiatou"},
		men:    []string{"Moussa", "Mamadou", "Ousmane", "Abdoulaye", "Cheikh", "Ibrahima", "Souleymane", "Boubacar", "Jean-Paul", "Serge", "Koffi", "Yao", "Patrice", "Rodrigue", "Tiana"},
		family: []string{"Diallo", "Traoré", "Coulibaly", "Diop", "Ndiaye", "Sow", "Ba", "Keïta", "Ouédraogo", "Sawadogo", "Koné", "Touré", "Kaboré", "Mbarga", "Nkoulou", "Ilunga", "Kalala", "Mukendi", "Rakotomalala", "Randriamampionona", "Agbodjan", "Hounkpatin"},
	},
	southernAfrica: {
		women:  []string{"Thandiwe", "Nomvula", "Lerato", "Naledi", "Palesa", "Zanele", "Chipo", "Tendai", "Ruvimbo", "Mwila", "Chanda", "Thoko", "Kagiso", "Ndapewa", "Anke"},
		men:    []string{"Sipho", "Thabo", "Themba", "Mandla", "Kagiso", "Tshepo", "Tatenda", "Farai", "Tinashe", "Mwansa", "Bwalya", "Chikondi", "Kondwani", "Tjiuma", "Pieter"},
		family: []string{"Nkosi", "Dlamini", "Ndlovu", "Khumalo", "Mokoena", "Mahlangu", "Molefe", "Moyo", "Sibanda", "Chikwanha", "Mutasa", "Banda", "Phiri", "Mwale", "Tembo", "Chirwa", "Mbewe", "Shikongo", "Botha", "van der Merwe"},
	},
	southAsia: {
		women:  []string{"Priya", "Ananya", "Aditi", "Kavya", "Lakshmi", "Meera", "Sunita", "Ayesha", "Sana", "Farzana", "Nusrat", "Tahmina", "Nirmala", "Dilani", "Sonam"},
		men:    []string{"Rahul", "Arjun", "Vikram", "Rohan", "Amit", "Suresh", "Karthik", "Imran", "Usman", "Bilal", "Rafiq", "Tanvir", "Nuwan", "Bikash", "Tshering"},
		family: []string{"Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Das", "Mukherjee", "Khan", "Ahmed", "Qureshi", "Chaudhry", "Rahman", "Hossain", "Chowdhury", "Perera", "Fernando", "Shrestha", "Adhikari", "Dorji"},
	},
	chinese: {
		women:       []string{"Fang", "Min", "Jing", "Li", "Xiaoling", "Hui", "Yan", "Mei", "Yuting", "Jiayi", "Shu-fen", "Wing Yan"},
		men:         []string{"Wei", "Jun", "Hao", "Lei", "Jian", "Tao", "Yong", "Zhiwei", "Jianguo", "Haoran", "Chih-hao", "Ka Ming"},
		family:      []string{"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Lin", "Guo", "He", "Tan", "Lim", "Chan", "Wong"},
		familyFirst: true,
	},
	japanese: {
		women:       []string{"Yuki", "Haruka", "Aoi", "Sakura", "Yui", "Misaki", "Naoko", "Keiko", "Emi", "Ayaka", "Mai", "Rina"},
		men:         []string{"Hiroshi", "Takeshi", "Kenji", "Daisuke", "Haruto", "Sota", "Yuto", "Kazuki", "Ryo", "Shinji", "Takumi", "Naoki"},
		family:      []string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura", "Hayashi", "Shimizu"},
		familyFirst: true,
	},
	korean: {
		women:       []string{"Ji-woo", "Seo-yeon", "Min-ji", "Ha-eun", "Soo-jin", "Eun-ji", "Hye-jin", "Yu-na", "Ji-hye", "Su-bin", "Da-eun", "Yeon-woo"},
		men:         []string{"Min-jun", "Seo-jun", "Ji-hoon", "Hyun-woo", "Dong-hyun", "Jae-won", "Sung-min", "Joon-ho", "Tae-yang", "Young-ho", "Sang-woo", "Jin-ho"},
		family:      []string{"Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon", "Hwang"},
		familyFirst: true,
	},
	malay: {
		women:  []string{"Siti", "Nurul", "Dewi", "Putri", "Ayu", "Rina", "Sri", "Indah", "Fitri", "Aisyah", "Nur Aina", "Farah", "Kartika", "Zulaikha"},
		men:    []string{"Ahmad", "Muhammad", "Agus", "Budi", "Rizky", "Hafiz", "Arif", "Eko", "Dimas", "Iskandar", "Faizal", "Hendra", "Aziz", "Xanana"},
		family: []string{"Santoso", "Wijaya", "Saputra", "Hidayat", "Pratama", "Kusuma", "Nugroho", "Setiawan", "Lestari", "Rahman", "Abdullah", "Ismail", "Hassan", "Ibrahim", "Yusof", "Osman", "Harahap", "Siregar", "Soares", "da Costa"},
	},
	philippine: {
		women:  []string{"Maria", "Kristine", "Angelica", "Jasmine", "Maricel", "Rowena", "Joy", "Patricia", "Carmela", "Bea", "Lorna", "Marisol"},
		men:    []string{"Jose", "Mark", "John Paul", "Christian", "Rodel", "Jericho", "Paolo", "Ramon", "Angelo", "Carlo", "Rommel", "Jun"},
		family: []string{"Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza", "Torres", "Tomas", "Andrada", "Castillo", "Flores", "Villanueva", "Ramos", "Aquino", "Dela Cruz", "Manalo", "Soriano"},
	},
	vietnamese: {
		women:       []string{"Thi Lan", "Thi Mai", "Thu Trang", "Ngoc Anh", "Thanh Huong", "Bich Ngoc", "Minh Chau", "Thi Hoa", "Phuong Linh", "Thu Ha"},
		men:         []string{"Van Minh", "Duc Anh", "Quang Huy", "Van Nam", "Thanh Tung", "Hoang Long", "Minh Tuan", "Van Hieu", "Quoc Bao", "Duc Thang"},
		family:      []string{"Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong"},
		familyFirst: true,
	},
	mainlandAsia: {
		women:  []string{"Siriporn", "Nattaya", "Kanya", "Pimchanok", "Ratana", "Sreymom", "Chanthou", "Souphaphone", "Khin", "Thandar", "Malai", "Dara"},
		men:    []string{"Somsak", "Anan", "Kittipong", "Prasert", "Sokha", "Vannak", "Bounmy", "Khamphet", "Aung", "Zaw", "Thura", "Chatchai"},
		family: []string{"Srisuk", "Wongsawat", "Chaiyaporn", "Saetang", "Rattanakul", "Sok", "Chea", "Heng", "Phommachanh", "Sisouk", "Vongsa", "Win", "Oo", "Htun", "Kyaw", "Thongchai"},
	},
	pacific: {
		women:  []string{"Mere", "Salote", "Losana", "Ana", "Litia", "Sina", "Fetu", "Talei", "Vaiola", "Kaitlin", "Alisi", "Teuila"},
		men:    []string{"Sione", "Tevita", "Jone", "Viliami", "Semisi", "Tavita", "Ioane", "Peni", "Manase", "Iosefa", "Kiren", "Taniela"},
		family: []string{"Tuilagi", "Fifita", "Tupou", "Vunipola", "Naivalu", "Ratu", "Qalo", "Leota", "Faleolo", "Taufa", "Kaufusi", "Nawaqa", "Tabai", "Kabua", "Iumut", "Tafuna", "Ulufonua", "Namaliu"},
	},
	caribbean: {
		women:  []string{"Shanice", "Keisha", "Tamara", "Simone", "Natasha", "Renée", "Alicia", "Kerry-Ann", "Jada", "Sharlene", "Marcia", "Annalise"},
		men:    []string{"Andre", "Kemar", "Marlon", "Dwayne", "Jermaine", "Ricardo", "Shane", "Kareem", "Trevor", "Devon", "Rohan", "Winston"},
		family: []string{"Brown", "Campbell", "Williams", "Thompson", "Morgan", "Grant", "Henry", "Richards", "Charles", "Joseph", "Baptiste", "Ali", "Persad", "Ramdial", "Mohammed", "Gordon", "Francis", "Alleyne", "Greaves", "Pinas"},
	},
}
