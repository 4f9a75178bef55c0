/// Word lists behind the generated title and city names (hand-collected public names of teams,
/// players, channels and common words of Indian TV titles).
enum NameVocabulary {
    static let cricketers = [
        "Kohli", "Virat", "Dhoni", "MSD", "Rohit", "Dhawan", "Raina", "Yuvi", "Yuvraj", "Jadeja", "Ashwin", "Rahane",
        "Pujara", "Rahul", "Pandya", "Bumrah", "Shami", "Umesh", "Ishant", "Jadhav", "Karun", "Saha", "Pant", "Samson",
        "Gambhir", "Uthappa", "Sehwag", "Sachin", "Gayle", "ABD", "Warner", "Smith", "Lyon", "Starc", "Maxwell", "Finch",
        "Root", "Stokes", "Cook", "Buttler", "Morgan", "Moeen", "Rashid", "Amla", "de Kock", "Steyn", "Rabada", "Duminy",
        "Williamson", "McCullum", "Guptill", "Afridi", "Misbah", "Amir", "Shakib", "Tamim", "Malinga", "Mathews",
        "Pollard", "Narine", "Russell", "Bravo", "Tahir", "Mishra", "Chahal", "Negi", "Watson", "Bailey", "Head", "Lynn",
        "Hussey", "Zaheer", "Bhuvi", "Nehra", "Harbhajan", "Bhajji", "Kumble", "Dravid", "Ganguly", "Laxman", "Manish",
        "Mayank", "Parthiv", "Kedar", "Krunal", "Hardik", "Axar", "Sandeep", "Mustafizur", "Rashid Khan", "Nabi",
        "Handscomb", "Renshaw", "Cummins", "Hazlewood", "Wade", "Marsh", "Khawaja", "Billings", "Roy", "Hales", "Bairstow",
    ]
    static let countries = [
        "India", "Australia", "England", "Pakistan", "Bangladesh", "South Africa", "Sri Lanka", "New Zealand",
        "West Indies", "Zimbabwe", "Afghanistan", "Ireland",
    ]
    static let countryShort = ["Oz", "Aus", "Eng", "Pak", "SA", "SL", "NZ", "WI", "Ban", "Zim", "India", "IND"]
    static let iplTeams = ["MI", "CSK", "RCB", "KKR", "SRH", "DD", "KXIP", "RPS", "GL", "RR"]
    static let domesticTeams = [
        "Karnataka", "Baroda", "Mumbai", "Delhi", "Bengal", "Gujarat", "Punjab", "Kerala", "Tamil Nadu", "Vidarbha",
        "Andhra", "Hyderabad", "Saurashtra", "Rajasthan", "Maharashtra", "Odisha", "Assam", "Haryana", "Services",
        "Railways", "Jharkhand", "Goa", "Tripura", "East Zone", "West Zone", "North Zone", "South Zone", "Central Zone",
        "India Red", "India Blue", "India Green", "India A", "England XI",
    ]
    static let bblTeams = ["Heat", "Sixers", "Scorchers", "Renegades", "Strikers", "Stars", "Thunder", "Hurricanes"]
    static let cricketVerbs = [
        "Smashes", "Slams", "Stuns", "Rescues", "Steadies", "Guides", "Wrecks", "Seals", "Powers", "Rips Through",
        "Dazzles", "Dents", "Crushes", "Clobbers", "Lifts", "Fires", "Rattles", "Tames", "Punishes", "Outfoxes",
        "Bamboozles", "Silences", "Sinks", "Sweeps Aside", "Tears Into", "Takes Apart",
    ]
    static let cricketNouns = [
        "Knock", "Blitz", "Spell", "Masterclass", "Onslaught", "Cameo", "Ton", "Fifty", "Hat-trick", "Yorker", "Catch",
        "Run Out", "Stumping", "Six", "Over", "Partnership", "Collapse", "Comeback", "Fightback", "Finish", "Chase",
    ]
    static let cricketAdjectives = [
        "Brutal", "Gritty", "Stunning", "Majestic", "Vintage", "Flashy", "Fighting", "Defiant", "Sensational", "Classy",
        "Fiery", "Breathtaking", "Superb", "Scintillating", "Valiant", "Clinical", "Sloppy", "Ruthless", "Tireless",
    ]
    static let formats = ["ODI", "T20I", "Test"]
    static let ordinals = ["1st", "2nd", "3rd", "4th", "5th"]
    static let languages = ["English", "Hindi", "Tamil", "Bengali"]

    static let footballClubs = [
        "Liverpool", "Chelsea", "Arsenal", "Manchester United", "Manchester City", "Man City", "Man Utd", "Tottenham",
        "Tottenham Hotspur", "Swansea", "Watford", "West Brom", "Bournemouth", "Leicester", "Everton", "Stoke", "Burnley",
        "Hull", "Sunderland", "Middlesbrough", "Southampton", "Crystal Palace", "West Ham", "Bayern Munich", "Dortmund",
        "Hoffenheim", "Freiburg", "Darmstadt", "Frankfurt", "Hamburg", "Schalke", "Leverkusen", "Wolfsburg", "Mainz",
        "Augsburg", "Cologne", "Ingolstadt", "Hertha Berlin", "Werder Bremen", "RB Leipzig",
    ]
    static let islClubs = [
        "FC Goa", "FC Pune City", "Mumbai City FC", "NorthEast United FC", "Kerala Blasters", "Chennaiyin FC",
        "Delhi Dynamos", "Atletico de Kolkata", "Bengaluru FC",
    ]
    static let kabaddiTeams = [
        "Bengaluru Bulls", "Bengal Warriors", "Patna Pirates", "Puneri Paltan", "Dabang Delhi", "U Mumba",
        "Jaipur Pink Panthers", "Telugu Titans", "Gujarat Fortunegiants", "Haryana Steelers", "Tamil Thalaivas",
        "UP Yoddha", "Bulls", "Pirates", "Warriors", "Titans", "Steelers", "Panthers", "Patriots",
    ]
    static let kabaddiPlayers = [
        "Pardeep", "Rahul Chaudhari", "Anup", "Ajay Thakur", "Manjeet", "Rohit Kumar", "Kashiling", "Deepak Hooda",
        "Maninder", "Sandeep Narwal", "Surender Nada", "Fazel", "Jang Kun Lee", "Meraj Sheykh", "Nitin Tomar",
    ]
    static let badmintonPlayers = [
        "Sindhu", "PV Sindhu", "Saina", "Saina Nehwal", "Srikanth", "Prannoy", "Sai Praneeth", "Kashyap", "Jayaram",
        "Axelsen", "Lee Chong Wei", "Lin Dan", "Chen Long", "Marin", "Ratchanok", "Tai Tzu Ying", "Yamaguchi", "Okuhara",
        "Sung Ji Hyun", "Ashwini", "Sikki", "Sameer Verma", "Ouseph", "Gideon", "Sukamuljo",
    ]
    static let badmintonEvents = [
        "PBL", "India Open", "Macau Open", "Malaysia Open", "All England", "Syed Modi Grand Prix", "Indonesia Open",
        "Australian Open", "Singapore Open", "Dubai Superseries",
    ]
    static let pblTeams = [
        "Chennai Smashers", "Hyderabad Hunters", "Mumbai Rockets", "Awadhe Warriors", "Delhi Acers", "Bengaluru Blasters",
    ]
    static let rounds = ["Final", "Semi-final", "Quarterfinal", "QF", "SF", "Round 1", "Round 2", "Highlights"]
    static let hockeyTeams = [
        "Dabang Mumbai", "Ranchi Rays", "Kalinga Lancers", "Punjab Warriors", "Delhi Waveriders", "UP Wizards",
        "Kalinga", "Mumbai", "Ranchi", "Delhi",
    ]
    static let tennisPlayers = [
        "Federer", "Nadal", "Djokovic", "Murray", "Wawrinka", "Serena", "Venus", "Kerber", "Sania", "Hingis", "Paes",
        "Bopanna", "Nishikori", "Raonic", "Cilic", "Muguruza", "Halep", "Kvitova",
    ]
    static let tennisEvents = ["Wimbledon", "US Open", "Australian Open", "French Open", "Davis Cup", "Fed Cup", "Chennai Open"]
    static let grandPrix = [
        "Australian", "Bahrain", "Chinese", "Russian", "Spanish", "Monaco", "Canadian", "Azerbaijan", "Austrian",
        "British", "Hungarian", "Belgian", "Italian", "Singapore", "Malaysian", "Japanese", "United States", "Mexican",
        "Brazilian", "Abu Dhabi",
    ]
    static let racingSessions = ["Main Race", "Qualifying", "Practice 1", "Practice 2", "Highlights", "Race Highlights"]
    static let formulaECities = ["Hong Kong", "Marrakesh", "Buenos Aires", "Mexico City", "Monaco", "Paris", "Berlin", "New York", "Montreal"]
    static let athleticsEvents = ["100m", "200m", "400m", "800m", "1500m", "Long Jump", "High Jump", "Javelin", "Shot Put", "Marathon", "Relay"]
    static let athleticsMeets = ["Diamond League", "Asian Championships", "World Championships", "Federation Cup", "Commonwealth Games"]
    static let tableTennisTeams = [
        "Dabang Smashers", "Falcons TTC", "Maharashtra United", "Oilmax Stag Yoddhas", "RP-SG Mavericks", "Shaker Kings",
    ]
    static let volleyballTeams = ["Kochi Blue Spikers", "Calicut Heroes", "Chennai Spartans", "Black Hawks Hyderabad", "U Mumba Volley"]
    static let boxers = ["Vijender", "Zulpikar", "Mary Kom", "Shiva Thapa", "Vikas Krishan", "Akhil Kumar", "Neeraj Goyat"]
    static let swimmingEvents = ["100m Freestyle", "200m Butterfly", "400m Medley", "50m Backstroke", "100m Breaststroke"]
    static let sports = ["Cricket", "Football", "Kabaddi", "Badminton", "Hockey", "Tennis", "Golf", "Wrestling", "Boxing"]

    static let channels = [
        "Star Plus", "Star Sports 1", "Star Sports 2", "Star Sports 3", "Star Sports 4", "Star Sports 1 Hindi",
        "Star Sports Select HD1", "Star Sports Select HD2", "Star Sports First", "Movies OK", "Life Ok", "Star Gold",
        "Star Gold Select", "Jalsa Movies", "Star Jalsha", "Star Pravah", "Star Utsav", "Star Vijay", "Vijay Super",
        "Asianet", "Asianet Plus", "Asianet Movies", "Suvarna", "Suvarna Plus", "Star Maa", "Maa Gold", "Maa Movies",
        "Star Bharat", "Channel V", "Star World", "Star Movies", "Star Movies Select", "FX", "Nat Geo", "Nat Geo Wild",
        "FOX Life", "Star World Premiere", "Star Suvarna", "Star Jalsha Movies", "Pravah Picture", "Star Utsav Movies",
        "Star Sports Tamil", "Star Sports Telugu", "Star Sports Bangla", "Star Sports Kannada", "Star Gold HD", "Star Plus HD",
        "Life OK HD", "Star Vijay HD", "Asianet HD", "Star Maa HD", "Star Jalsha HD", "Sports 18", "Star Sports HD1",
    ]
    static let awardKinds = ["Parivaar", "Film", "Television", "Comedy", "Music", "Screen", "Cinema", "Style", "Sports"]

    /// Words of Indian TV serial and film titles (Hindi and regional).
    static let indianWords = [
        "Ishq", "Pyaar", "Dil", "Mohabbat", "Kahani", "Saath", "Rishta", "Sasural", "Bahu", "Beti", "Maa", "Pita", "Bhai",
        "Dost", "Zindagi", "Khushi", "Kasam", "Jeevan", "Sapne", "Armaan", "Naya", "Nayi", "Meri", "Mera", "Tera", "Teri",
        "Hamari", "Apna", "Ghar", "Aangan", "Pardes", "Desh", "Sanskar", "Sindoor", "Mangal", "Suhani", "Chandni", "Raat",
        "Din", "Subah", "Sham", "Tara", "Sitara", "Chand", "Suraj", "Roshni", "Diya", "Baati", "Mann", "Dard", "Yaadein",
        "Shaadi", "Vivah", "Bandhan", "Doli", "Mehndi", "Kumkum", "Bhagya", "Laxmi", "Ganga", "Yamuna", "Radha", "Meera",
        "Naagin", "Nandini", "Anokhi", "Pehchaan", "Ummeed", "Tamanna", "Junoon", "Jazbaa", "Izzat", "Rang", "Phulwa",
        "Kesar", "Gulaal", "Chakor", "Udaan", "Veera", "Dahleez", "Tanhaiyan", "Kalyanam", "Kudumbam", "Manasu", "Prema",
        "Sneham", "Ammayi", "Pavitra", "Bandham", "Thendral", "Deivam", "Raja", "Rani", "Vamsam", "Kanmani", "Ponnu",
        "Bhoomi", "Mane", "Magalu", "Hrudaya", "Nanna", "Kuch", "Toh", "Tere", "Mere", "Darmiyaan", "Sapna", "Jodi",
        "Preet", "Parinda", "Aashiqui", "Dulhan", "Saajan", "Sajni", "Piya", "Rangrez", "Kashish", "Aarzoo", "Chahat",
        "Jaan", "Humsafar", "Manzil", "Safar", "Kismat", "Taqdeer", "Aansoo", "Muskaan", "Nazar", "Parchhayee", "Saaya",
        "Mahal", "Haveli", "Gaon", "Shehar", "Galli", "Mohalla", "Amma", "Appa", "Chellam", "Kanne", "Priyasakhi",
        "Bhalobasha", "Bari", "Maya", "Moner", "Kotha", "Mon", "Pratibimba", "Agnisakshi", "Kulavadhu", "Sindhooram",
        "Manjal", "Magal", "Ilakkiya", "Ragam", "Swapna", "Sundari", "Nakshatra", "Aakash", "Dharti", "Patiala", "Punjaban",
    ]
    static let connectors = ["Ke", "Ki", "Ka", "Aur", "Se", "Mein", "Hai", "Ek", "Do", "Tum", "Hum", "Na", "Ko", "Bhi"]
    static let englishWords = [
        "Love", "Story", "Secret", "Life", "Night", "Home", "Family", "House", "Wedding", "Dream", "Heart", "City", "Girl",
        "Boy", "Man", "King", "Queen", "Road", "Rain", "Summer", "Game", "Lost", "Found", "Time", "Fire", "Ice", "Storm",
        "Shadow", "Mirror", "Island", "River", "Mountain", "Journey", "Escape", "Promise", "Revenge", "Legacy", "Empire",
        "Hunter", "Soldier", "Detective", "Doctor", "Teacher", "Stranger", "Friends", "Brothers", "Sisters", "Runaway",
        "Midnight", "Golden", "Silent", "Broken", "Hidden", "Wild", "Last", "First", "Little", "Big", "Dark", "Bright",
    ]
    static let gods = ["Mahadev", "Krishna", "Ram", "Hanuman", "Ganesh", "Durga", "Shiv", "Vishnu", "Sai Baba", "Shani", "Lakshmi", "Kali", "Murugan", "Ayyappa"]
    static let animals = ["Tiger", "Lion", "Elephant", "Shark", "Snake", "Leopard", "Crocodile", "Eagle", "Wolf", "Bear", "Cheetah", "Gorilla", "Whale", "Rhino"]
    static let places = [
        "Ladakh", "Kerala", "Goa", "Rajasthan", "Himalayas", "Sikkim", "Andaman", "Kashmir", "Bhutan", "Africa",
        "Amazon", "Sahara", "Borneo", "Arctic", "Serengeti", "Iceland", "Japan", "Bali", "Spiti", "Kutch",
    ]

    /// Cities: big Indian cities first (most users), then smaller towns, multi-word names and an international tail.
    static let majorCities = [
        "navi mumbai", "delhi", "mumbai", "bangalore", "gurgaon", "chennai", "hyderabad", "pune", "kolkata", "new delhi",
        "ahmedabad", "noida", "jaipur", "lucknow", "chandigarh", "bhopal", "indore", "kochi", "coimbatore", "thane",
        "patna", "nagpur", "surat", "vadodara", "ghaziabad", "ludhiana", "visakhapatnam", "bhubaneswar", "guwahati",
        "thiruvananthapuram", "madurai", "mysore", "kanpur", "dehradun", "ranchi", "raipur", "agra", "varanasi", "amritsar",
        "jalandhar", "faridabad", "mohali", "vijayawada", "mangalore", "hubli", "belgaum", "gulbarga", "nashik", "aurangabad",
        "rajkot", "jodhpur", "udaipur", "kota", "ajmer", "allahabad", "meerut", "bareilly", "aligarh", "gwalior", "jabalpur",
        "hosur", "krishnarajapura", "nagar", "nagari", "tiruchirappalli", "salem", "tirunelveli", "vellore", "pondicherry",
        "kozhikode", "thrissur", "kollam", "kannur", "palakkad", "warangal", "guntur", "nellore", "tirupati", "kakinada",
        "cuttack", "rourkela", "siliguri", "durgapur", "asansol", "howrah", "jamshedpur", "dhanbad", "bokaro", "gaya",
        "shimla", "jammu", "srinagar", "panaji", "margao", "greater noida", "navi mumbai east", "south delhi", "north goa",
        "old city", "secunderabad", "kalyan", "vasai", "bhiwandi", "panvel", "sonipat", "panipat", "karnal", "rohtak",
        "hisar", "bathinda", "patiala", "haldwani", "rishikesh", "haridwar", "saharanpur", "muzaffarnagar", "moradabad",
        "gorakhpur", "jhansi", "sagar", "ujjain", "bilaspur", "korba", "bhilai", "durg", "sambalpur", "berhampur",
        "davanagere", "shimoga", "tumkur", "udupi", "hassan", "mandya", "erode", "tiruppur", "thanjavur", "karur",
        "dindigul", "nagercoil", "kottayam", "alappuzha", "malappuram", "kasaragod", "anantapur", "kurnool", "kadapa",
        "karimnagar", "nizamabad", "khammam", "latur", "solapur", "kolhapur", "sangli", "satara", "ahmednagar", "jalgaon",
        "akola", "amravati", "nanded", "bhavnagar", "jamnagar", "junagadh", "gandhinagar", "anand", "bharuch", "vapi",
        "silvassa", "daman", "porbandar", "bikaner", "alwar", "bhilwara", "sikar", "sri ganganagar", "gazipur",
        "Unknown",
    ]
    static let internationalCities = [
        "dhaka", "jakarta", "dubai", "abu dhabi", "sharjah", "doha", "muscat", "riyadh", "jeddah", "kuwait city",
        "manama", "singapore", "kuala lumpur", "bangkok", "kathmandu", "colombo", "karachi", "lahore", "islamabad",
        "london", "birmingham", "leicester", "manchester", "new york", "new jersey", "san jose", "toronto", "vancouver",
        "sydney", "melbourne", "auckland", "johannesburg", "durban", "nairobi", "hong kong", "tokyo", "frankfurt",
        "paris", "amsterdam", "chittagong", "sylhet", "pokhara", "kandy", "male", "surabaya", "bandung", "medan",
        "yangon", "thimphu", "port louis", "los angeles", "chicago", "houston", "dallas", "seattle", "boston",
    ]
    static let citySyllables = [
        "ram", "sri", "chandra", "kris", "bhav", "ana", "nag", "raj", "deva", "hari", "kal", "mal", "pal", "man", "sit",
        "gop", "kush", "ami", "ban", "bel", "bid", "char", "dhar", "gan", "jal", "kan", "kar", "kot", "mad", "mir",
        "nar", "pat", "ran", "sam", "tir", "val", "vel", "vis", "yel", "ach", "ald", "bar", "chik", "dod", "gud", "hal",
    ]
    static let citySuffixes = [
        "pur", "abad", "nagar", "garh", "ganj", "pet", "halli", "palli", "puram", "pally", "wadi", "kot", "gaon",
        "ur", "uru", "patti", "kere", "varam", "pura", "bad", "sar", "ner", "gadh", "wada",
    ]
    static let cityPrefixes = ["new", "old", "north", "south", "east", "west", "navi", "greater", "upper", "lower"]
}
