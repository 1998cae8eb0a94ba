/**
 * Examples of messages that need the emergency numbers now, and of look-alikes that do not, written by
 * the team (never copied from an evaluation set), for the emergency classifier. One a line: "emergency"
 * or "none", a bar, the message. Add a line when a way of saying an emergency is missed.
 */
export const EMERGENCY_EXAMPLES = `
emergency | có người ngất giữa đường, làm sao đây
emergency | ba tôi đau ngực dữ lắm, mặt tái mét
emergency | bạn mình thở không nổi, môi tím lại
emergency | máu ra nhiều quá không cầm được
emergency | con tôi sốt cao co giật
emergency | bé nhà tôi sốt rất cao, người nóng ran, lơ mơ
emergency | ông cụ nằm bất động không trả lời
emergency | có ai biết sơ cứu không, người ta đang nằm dưới đất
emergency | bị say nắng xỉu trong đám đông ở lễ hội
emergency | chị tôi bị rắn cắn ở chân núi
emergency | bị chó dại cắn chảy máu
emergency | ăn hải sản xong nổi mẩn khắp người, sưng mặt, khó thở
emergency | cả đoàn đau bụng dữ dội sau bữa trưa
emergency | ngã xe máy đập đầu xuống đường
emergency | va chạm giao thông, có người nằm bất tỉnh
emergency | xe khách lật, nhiều người bị thương
emergency | có người đuối nước ở bến phà
emergency | đứa nhỏ bị nước cuốn trôi
emergency | ghe bị lật giữa sông
emergency | phòng bên cạnh đang bốc cháy
emergency | lửa cháy lan ra hành lang khách sạn
emergency | điện chập, có lửa và khói trong phòng
emergency | ngửi thấy mùi gas nồng nặc trong bếp
emergency | có người cầm dao đe dọa tôi
emergency | bị một nhóm người đánh ở bãi xe
emergency | tôi bị cướp điện thoại và ví
emergency | bị giật giỏ xách trên đường
emergency | có kẻ đột nhập vào phòng tôi
emergency | tôi bị theo dõi và đe dọa, sợ quá
emergency | đứa cháu tôi đi lạc ở chợ, tìm mãi không thấy
emergency | không thấy con gái đâu cả, mới đứng đây mà
emergency | mẹ tôi lớn tuổi đi lạc trong khu miếu
emergency | bị kẹt trong thang máy
emergency | leo núi bị trượt chân rơi xuống vực
emergency | bị ong đốt sưng cả mặt
emergency | bị điện giật ngã ra
emergency | nghi bị đột quỵ, tay chân yếu một bên
emergency | uống nhầm thuốc tẩy rửa
emergency | co nguoi xiu o cho, goi ai
emergency | ba minh dau nguc du qua
emergency | ban toi kho tho, moi tim
emergency | be bi sot cao co giat
emergency | bi cuop tui xach roi
emergency | co nguoi danh nhau co dao
emergency | chay phong roi, khoi day
emergency | nguoi bi nuoc cuon
emergency | tai nan xe may nguoi nam bat dong
emergency | con toi di lac, tim khong thay
emergency | bi ran can o ruong
emergency | ngo doc thuc an ca nha
emergency | help, my husband collapsed and isn't responding
emergency | my wife has severe chest pain
emergency | someone is having a seizure on the street
emergency | my friend can't breathe after eating peanuts
emergency | there's a lot of blood, he cut his hand badly
emergency | my baby has a very high fever and is shaking
emergency | an old man fainted in the heat at the temple
emergency | we crashed our scooter, my friend hit his head
emergency | a car hit a pedestrian right in front of us
emergency | someone fell off the boat into the river
emergency | a kid is drowning at the ferry pier
emergency | there's a fire in our guesthouse
emergency | smoke is coming out of the kitchen and people are inside
emergency | I smell gas everywhere in the room
emergency | a man with a knife is threatening us
emergency | I was attacked and beaten on the street
emergency | my bag was snatched by two guys on a motorbike
emergency | someone broke into my room while I was asleep
emergency | I can't find my little boy in the crowd
emergency | my elderly father wandered off and is lost
emergency | I think she's having a stroke, her face is drooping
emergency | I got stung and my throat is swelling
emergency | he fell from the rocks and can't move his legs
emergency | we're stuck in the lift
emergency | my son swallowed something and is choking
emergency | giúp với, help, có người bị thương nặng
emergency | my friend is unconscious, ở khách sạn gần chợ
emergency | bị tai nạn, please call ambulance
none | số điện thoại khẩn cấp ở Việt Nam là gì để lưu sẵn
none | quán chay nào ngon gần miếu Bà
none | ăn chay ở Châu Đốc có món gì
none | lễ hội có bắn pháo hoa không
none | trời nóng quá, nên đi tham quan giờ nào
none | mình bị lạc đường, đường nào ra chợ
none | tôi làm mất vé tàu, mua lại ở đâu
none | khách nước ngoài có phải khai báo tạm trú với công an không
none | đi đồi Tức Dụp xem di tích chiến tranh
none | trận đánh ở đồi Tức Dụp diễn ra năm nào
none | có bảo hiểm du lịch nào nên mua không
none | mùa lễ hội có đông lắm không
none | đi thuyền trên sông có an toàn không
none | núi Cấm cao bao nhiêu
none | lễ tắm Bà diễn ra lúc mấy giờ
none | có trạm y tế nào gần đây không, để biết trước
none | đường lên núi có dốc không, người già đi được không
none | phòng có máy lạnh không
none | mua thuốc chống muỗi ở đâu
none | có lớp học sơ cứu cho hướng dẫn viên không
none | quan chay ngon o chau doc
none | le hoi co phao hoa ko
none | minh bi lac duong roi, chi duong ra cho voi
none | bao hiem du lich mua o dau
none | tran danh doi tuc dup nam nao
none | di thuyen co ao phao khong
none | what's the emergency number in Vietnam, just in case
none | any good vegetarian restaurants near the temple
none | are there fireworks during the festival
none | it's so hot, when is the best time of day to visit
none | I got lost, which way is the market
none | I lost my booking confirmation, what should I do
none | do hotels report foreign guests to the police
none | tell me about the battle at Tuc Dup hill
none | should I buy travel insurance for Vietnam
none | how crowded is the festival
none | is the boat trip safe for kids
none | how high is Cam Mountain
none | is there a pharmacy near the market
none | is the climb up Sam Mountain hard for old people
none | where can I buy mosquito repellent
none | is there a first aid kit at the hotel
none | can I see the fire dance at the festival
none | what time does the bathing ceremony start
none | is the water in the river clean
`;
